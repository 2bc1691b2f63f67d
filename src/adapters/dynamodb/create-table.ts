import {
  CreateTableCommand, DescribeTableCommand, ResourceInUseException, ResourceNotFoundException, UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { expensesTable } from './expenses-table.js';

/** Creates the Expenses table from its one definition unless it exists (the local stack and tests). */
export async function ensureExpensesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { partitionKey, sortKey, byDateIndex } = expensesTable;
  try {
    await client.send(new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
        { AttributeName: byDateIndex.sortKey.name, AttributeType: byDateIndex.sortKey.type },
      ],
      KeySchema: [
        { AttributeName: partitionKey.name, KeyType: 'HASH' },
        { AttributeName: sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{
        IndexName: byDateIndex.name,
        KeySchema: [
          { AttributeName: byDateIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: byDateIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: byDateIndex.projection },
      }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: expensesTable.streamViewType },
    }));
    await client.send(new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: expensesTable.ttlAttribute, Enabled: true },
    }));
  } catch (error) {
    // Another process created it between our describe and create.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
