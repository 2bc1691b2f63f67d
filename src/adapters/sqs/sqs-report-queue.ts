import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject, injectable } from 'inversify';
import type { ReportQueue } from '../../application/ports.js';

export const SQS_TOKENS = {
  Client: Symbol.for('SQSClient'),
  ReportQueueUrl: Symbol.for('ReportQueueUrl'),
};

/** SQS takes at most ten messages per batch. */
const BATCH = 10;

/** Due users to the report queue, one message each (the sender reads the rest), ten per request. */
@injectable()
export class SqsReportQueue implements ReportQueue {
  constructor(
    @inject(SQS_TOKENS.Client) private readonly client: SQSClient,
    @inject(SQS_TOKENS.ReportQueueUrl) private readonly queueUrl: string,
  ) {}

  async enqueue(userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += BATCH) {
      const entries = userIds.slice(i, i + BATCH).map((userId, n) => ({ Id: String(n), MessageBody: JSON.stringify({ userId }) }));
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      // A user not queued stays held until the hold lapses; then the next pass queues it again.
      if (result.Failed?.length) throw new Error(`SQS refused ${result.Failed.length} of ${entries.length} report messages: ${result.Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}
