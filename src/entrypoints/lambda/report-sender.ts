import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TOKENS } from '../../application/ports.js';
import { SendMonthlyReport } from '../../application/use-cases/monthly-reports.js';
import { lambdaConfig } from '../../composition/wiring.js';
import { reportsLambdaContainer } from '../../composition/reports.js';

// The report queue's consumer: its reserved concurrency keeps the sending within SES's rate.
const container = reportsLambdaContainer(lambdaConfig(process.env));
const send = container.get(SendMonthlyReport);
const logger = container.get(TOKENS.Logger);

/**
 * One report per message, one after another. A failed one is reported back (partial batch
 * response): SQS delivers it again after the visibility timeout, and after five receives moves it to
 * the dead-letter queue (alarmed); the next due pass queues the user again once their hold lapses.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const { userId } = JSON.parse(record.body) as { userId?: unknown };
      if (typeof userId !== 'string' || userId === '') {
        logger.error('report message without a user, dropped', { messageId: record.messageId });
        continue;
      }
      await send.execute(userId);
    } catch (error) {
      logger.error('report message failed', { messageId: record.messageId, error: String(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
