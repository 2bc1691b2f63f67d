import {
  ConditionalCheckFailedException, GetItemCommand, PutItemCommand, QueryCommand, TransactionCanceledException, TransactWriteItemsCommand, UpdateItemCommand,
  type AttributeValue, type CancellationReason, type DynamoDBClient, type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ConcurrentChangeError, DependencyUnavailableError } from '../../application/ports.js';
import { expensesTable } from './expenses-table.js';

/** DynamoDB refused a request as malformed (a key too long, a transaction too big): a defect, answered 500. */
export class StorageRequestRejectedError extends Error {
  constructor(detail: string) {
    super(`DynamoDB rejected the request as invalid: ${detail}`);
  }
}

const UNAVAILABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT',
]);

export function isUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown };
  return UNAVAILABLE_ERRORS.has(e?.name ?? '') || UNAVAILABLE_ERRORS.has(e?.code ?? '');
}

/**
 * The SDK already retried throttling and timeouts with jittered backoff; what still fails is a
 * 503 for the caller. A ValidationException is our bug, never the user's nor a passing fault:
 * it is named as such and not retried.
 */
export async function callDynamoDb<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isUnavailable(error)) throw new DependencyUnavailableError(`DynamoDB unavailable: ${(error as Error).name}`);
    if ((error as Error).name === 'ValidationException') throw new StorageRequestRejectedError((error as Error).message);
    throw error;
  }
}

/**
 * One TransactWriteItems. A cancelled transaction is first shown to `onCancel` (which may throw
 * a more precise error), then becomes ConcurrentChangeError when a condition failed or another
 * transaction conflicted, or a 503 when DynamoDB throttled it.
 */
export async function transact(client: DynamoDBClient, items: TransactWriteItem[], onCancel: (reasons: CancellationReason[]) => void = () => {}): Promise<void> {
  try {
    await callDynamoDb(() => client.send(new TransactWriteItemsCommand({ TransactItems: items })));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    onCancel(reasons);
    // A failed condition or a conflicting transaction: someone else changed what was read first.
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new ConcurrentChangeError();
    if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) {
      throw new DependencyUnavailableError('DynamoDB throttled the write');
    }
    throw error;
  }
}

/**
 * A PutItem of a versioned item (attribute `version`) that applies only while the stored item is
 * at `expectedVersion` (0: absent); ConcurrentChangeError otherwise.
 */
export async function putUnlessChanged(client: DynamoDBClient, input: { TableName: string; Item: Record<string, AttributeValue> }, expectedVersion: number): Promise<void> {
  try {
    await callDynamoDb(() => client.send(new PutItemCommand({
      ...input,
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(version)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } } }),
    })));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new ConcurrentChangeError();
    throw error;
  }
}

/**
 * A conditional update whose failed condition means "not now, or nothing left to do": the
 * attributes the update returned when it applied (`{}` unless it asked for some), null when not.
 */
export async function updateUnlessChanged(client: DynamoDBClient, input: ConstructorParameters<typeof UpdateItemCommand>[0]): Promise<Record<string, AttributeValue> | null> {
  try {
    return (await callDynamoDb(() => client.send(new UpdateItemCommand(input)))).Attributes ?? {};
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return null;
    throw error;
  }
}

/** One item of `userId` by its sort key, strongly consistent; null when absent. */
export async function getItem(client: DynamoDBClient, tableName: string, userId: string, sortKey: string, consistent = true): Promise<Record<string, AttributeValue> | null> {
  const result = await callDynamoDb(() => client.send(new GetItemCommand({
    TableName: tableName, ConsistentRead: consistent,
    Key: { [expensesTable.partitionKey.name]: { S: userId }, [expensesTable.sortKey.name]: { S: sortKey } },
  })));
  return result.Item ?? null;
}

/** Items of the due-work index's `queue` partition due at `now` (up to `limit`), soonest first. */
export async function queryDue(client: DynamoDBClient, tableName: string, queue: string, now: Date, limit: number): Promise<Record<string, AttributeValue>[]> {
  const due: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  const { partitionKey, sortKey } = expensesTable.pendingAlertsIndex;
  do {
    const page = await callDynamoDb(() => client.send(new QueryCommand({
      TableName: tableName,
      IndexName: expensesTable.pendingAlertsIndex.name,
      KeyConditionExpression: '#queue = :queue AND #due <= :now',
      ExpressionAttributeNames: { '#queue': partitionKey.name, '#due': sortKey.name },
      ExpressionAttributeValues: { ':queue': { S: queue }, ':now': { N: String(now.getTime()) } },
      Limit: limit - due.length,
      ExclusiveStartKey: startKey,
    })));
    due.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && due.length < limit);
  return due;
}

/** Every item of `userId` whose sort key starts with `prefix`, in key order; strongly consistent unless `consistent` is false (half the read units, for display). */
export async function queryPrefix(client: DynamoDBClient, tableName: string, userId: string, prefix: string, consistent = true): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await callDynamoDb(() => client.send(new QueryCommand({
      TableName: tableName, ConsistentRead: consistent, ExclusiveStartKey: startKey,
      KeyConditionExpression: '#pk = :user AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': expensesTable.partitionKey.name, '#sk': expensesTable.sortKey.name },
      ExpressionAttributeValues: { ':user': { S: userId }, ':prefix': { S: prefix } },
    })));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
