import { inject, injectable } from 'inversify';
import { TOKENS, type Logger, type ReportQueue } from '../../application/ports.js';
import { SendMonthlyReport } from '../../application/use-cases/monthly-reports.js';

/**
 * The local stand-in for the report queue and its sender Lambda: each queued user's report is
 * sent at once, by the same use case. A failure is logged; the user stays held, and the due pass
 * queues them again once the hold lapses, as on AWS.
 */
@injectable()
export class InProcessReportQueue implements ReportQueue {
  constructor(
    @inject(SendMonthlyReport) private readonly send: SendMonthlyReport,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async enqueue(userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      try {
        await this.send.execute(userId);
      } catch (error) {
        this.logger.error('monthly report deferred', { userId, error: String(error) });
      }
    }
  }
}
