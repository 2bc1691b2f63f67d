import { randomBytes } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Container, Newable } from 'inversify';
import { TOKENS } from '../application/ports.js';
import { QueueDueReports, SendMonthlyReport } from '../application/use-cases/monthly-reports.js';
import { DynamoDbReportRepository } from '../adapters/dynamodb/dynamodb-report-repository.js';
import { InMemoryReportMailer } from '../adapters/memory/memory-report-mailer.js';
import { InMemoryReportRepository } from '../adapters/memory/memory-report-repository.js';
import { InProcessReportQueue } from '../adapters/memory/in-process-report-queue.js';
import { requestHandlerOptions, SES_DEADLINE, SNS_DEADLINE } from '../adapters/sdk-deadlines.js';
import { SES_TOKENS, SesReportMailer } from '../adapters/ses/ses-report-mailer.js';
import { SQS_TOKENS, SqsReportQueue } from '../adapters/sqs/sqs-report-queue.js';
import { bindReportLinks } from './report-links.js';
import { baseContainer, bindCoreUseCases, bindDynamoDb, type RuntimeConfig } from './wiring.js';

/** Where monthly reports go and how they are queued; tests leave it out (in memory, in process). */
export interface ReportConfig {
  /** False without a sending identity: nothing is sent, and the report cannot be turned on. */
  enabled: boolean;
  mailer: 'ses' | 'memory';
  /** The SES emulator's URL locally; unset on AWS. */
  sesEndpoint?: string;
  from: string;
  configurationSet?: string;
  queue: 'sqs' | 'in-process';
  queueUrl?: string;
  sqsEndpoint?: string;
  /** The API's public base URL, for the unsubscribe link. */
  linkBase: string;
  tokenSecret: string;
}

const TEST_REPORTS: Omit<ReportConfig, 'tokenSecret'> = { enabled: true, mailer: 'memory', from: 'reports@example.com', queue: 'in-process', linkBase: 'http://localhost' };

const local = (endpoint?: string) => (endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {});

/** The reports' part of the composition root: the schedule store, the mailer, the queue, the settings and the use cases. */
export function bindReports(container: Container, storage: 'dynamodb' | 'memory', region: string, config?: ReportConfig): void {
  // Without a configured secret (tests), one per process: links signed here work until it ends.
  const reports = config ?? { ...TEST_REPORTS, tokenSecret: randomBytes(32).toString('base64url') };
  bindReportLinks(container, reports);
  container.bind(TOKENS.ReportRepository).to(storage === 'memory' ? InMemoryReportRepository : DynamoDbReportRepository);
  if (reports.mailer === 'ses') {
    container.bind(SES_TOKENS.Client).toConstantValue(new SESv2Client({
      region, maxAttempts: SES_DEADLINE.maxAttempts, requestHandler: requestHandlerOptions(SES_DEADLINE), ...local(reports.sesEndpoint),
    }));
    container.bind(SES_TOKENS.Sender).toConstantValue({ from: reports.from, configurationSet: reports.configurationSet ?? null });
    container.bind(TOKENS.ReportMailer).to(SesReportMailer);
  } else {
    container.bind(InMemoryReportMailer).toSelf();
    container.bind(TOKENS.ReportMailer).toService(InMemoryReportMailer);
  }
  if (reports.queue === 'sqs') {
    container.bind(SQS_TOKENS.Client).toConstantValue(new SQSClient({
      region, maxAttempts: SNS_DEADLINE.maxAttempts, requestHandler: requestHandlerOptions(SNS_DEADLINE), ...local(reports.sqsEndpoint),
    }));
    container.bind(SQS_TOKENS.ReportQueueUrl).toConstantValue(reports.queueUrl);
    container.bind(TOKENS.ReportQueue).to(SqsReportQueue);
  } else {
    container.bind(TOKENS.ReportQueue).to(InProcessReportQueue);
  }
  const useCases: Newable<object>[] = [SendMonthlyReport, QueueDueReports];
  for (const useCase of useCases) container.bind(useCase).toSelf();
}

/** The report Lambdas' container: DynamoDB, the core use cases and the reports' part (SES, SQS). */
export function reportsLambdaContainer(config: RuntimeConfig): Container {
  if (!config.reports) throw new Error('Environment variable REPORT_TOKEN_SECRET is required');
  const container = baseContainer(config);
  bindDynamoDb(container, config);
  bindCoreUseCases(container);
  bindReports(container, 'dynamodb', config.region, config.reports);
  return container;
}
