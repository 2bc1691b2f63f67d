import type { Container } from 'inversify';
import { TOKENS } from '../application/ports.js';
import { UnsubscribeMonthlyReport } from '../application/use-cases/monthly-reports.js';

/**
 * What the API needs of the monthly reports: the unsubscribe link's settings and its use case
 * (kept apart from the reports' SES and SQS adapters, which the API's bundle does without).
 */
export function bindReportLinks(container: Container, reports: { enabled: boolean; linkBase: string; tokenSecret: string }): void {
  container.bind(TOKENS.ReportSettings).toConstantValue({ enabled: reports.enabled, linkBase: reports.linkBase, tokenSecret: reports.tokenSecret });
  container.bind(UnsubscribeMonthlyReport).toSelf();
}
