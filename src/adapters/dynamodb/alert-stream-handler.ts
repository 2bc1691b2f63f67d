import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Logger } from '../../application/ports.js';
import type { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { alertFromItem } from './ledger-items.js';
import { expensesTable } from './expenses-table.js';

export type AlertStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * The retry path for alerts on AWS. The table's stream delivers every alert item written with
 * delivery "pending": a new alert whose inline delivery failed or was cut short, or one whose
 * failed attempt was just recorded. The claim inside DeliverAlerts keeps this from sending an
 * alert the API is sending at the same moment.
 */
export function createAlertStreamHandler(deliverAlerts: DeliverAlerts, logger: Logger): AlertStreamHandler {
  return async (event) => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
      const sortKey = image?.[expensesTable.sortKey.name]?.S;
      if (!image || !sortKey?.startsWith('#ALERT#') || image.delivery?.S !== 'pending') continue;
      try {
        const userId = image[expensesTable.partitionKey.name]?.S;
        if (!userId) throw new Error('alert record without a user id');
        await deliverAlerts.execute(userId, [alertFromItem(image)]);
      } catch (error) {
        // Report only this record: the rest of the batch is not held back by it.
        logger.error('alert delivery record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error: String(error) });
        batchItemFailures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
      }
    }
    return { batchItemFailures };
  };
}
