import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { ensureExpensesTable } from '../../src/adapters/dynamodb/create-table.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/entrypoints/local/dynamodb-local.js';

// One DynamoDB Local and one fauxqs per test process, started on free ports when a suite first
// needs them and stopped after the last test. Suites isolate themselves with their own table.

let dynamoDb: Promise<DynamoDbLocal> | null = null;
let fauxqs: Promise<FauxqsServer> | null = null;
const clients: { destroy(): void }[] = [];

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function dynamoDbEndpoint(): Promise<string> {
  dynamoDb ??= startDynamoDbLocal();
  return (await dynamoDb).endpoint;
}

export function dynamoDbClient(endpoint: string, maxAttempts = 4): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials, maxAttempts });
  clients.push(client);
  return client;
}

/** A new, empty Expenses table (same definition as production) under a unique name. */
export async function freshTable(): Promise<{ client: DynamoDBClient; tableName: string; endpoint: string; drop(): Promise<void> }> {
  const endpoint = await dynamoDbEndpoint();
  const client = dynamoDbClient(endpoint);
  const tableName = `Expenses-${randomUUID()}`;
  await ensureExpensesTable(client, tableName);
  return { client, tableName, endpoint, drop: async () => { await client.send(new DeleteTableCommand({ TableName: tableName })); } };
}

export async function fauxqsServer(): Promise<{ server: FauxqsServer; endpoint: string; sns: SNSClient; sqs: SQSClient }> {
  fauxqs ??= startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  const server = await fauxqs;
  const endpoint = `http://127.0.0.1:${server.port}`;
  const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials });
  clients.push(sns, sqs);
  return { server, endpoint, sns, sqs };
}

export async function stopSharedServices(): Promise<void> {
  for (const client of clients.splice(0)) client.destroy();
  const stops: Promise<void>[] = [];
  if (dynamoDb) stops.push(dynamoDb.then((d) => d.stop(), () => undefined));
  if (fauxqs) stops.push(fauxqs.then((f) => f.stop(), () => undefined));
  dynamoDb = null;
  fauxqs = null;
  await Promise.all(stops);
}
