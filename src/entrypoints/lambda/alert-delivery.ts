import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { alertFromItem } from '../../adapters/dynamodb/dynamodb-ledger-repository.js';
import { expensesTable } from '../../adapters/dynamodb/expenses-table.js';
import { TOKENS } from '../../application/ports.js';
import { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { createContainer, lambdaConfig } from '../../composition-root.js';

/**
 * The retry path for alerts on AWS. The table's stream delivers every alert item written with
 * delivery "pending": a new alert whose inline delivery failed or was cut short, or one whose
 * failed attempt was just recorded. The claim inside DeliverAlerts keeps this from sending an
 * alert the API is sending at the same moment.
 */
export function createAlertDeliveryHandler(deliverAlerts: DeliverAlerts, logger: { error(m: string, d?: Record<string, unknown>): void }) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
      const sortKey = image?.[expensesTable.sortKey.name]?.S;
      if (!image || !sortKey?.startsWith('#ALERT#') || image.delivery?.S !== 'pending') continue;
      try {
        await deliverAlerts.execute(image[expensesTable.partitionKey.name]!.S!, [alertFromItem(image)]);
      } catch (error) {
        // Report only this record: the rest of the batch is not held back by it.
        logger.error('alert delivery record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error: String(error) });
        batchItemFailures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
      }
    }
    return { batchItemFailures };
  };
}

const container = createContainer(lambdaConfig(process.env));
export const handler = createAlertDeliveryHandler(container.get(DeliverAlerts), container.get(TOKENS.Logger));
