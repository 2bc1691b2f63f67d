import {
  BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, QueryCommand, TransactionCanceledException,
  TransactWriteItemsCommand, UpdateItemCommand,
  type AttributeValue, type QueryCommandInput, type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import {
  ConcurrentChangeError, DependencyUnavailableError, IdempotencyKeyTakenError,
  type ExpensePage, type IdempotencyRecord, type LedgerChange, type LedgerRepository, type ListExpensesQuery, type VersionedMonth,
} from '../../application/ports.js';
import { compareAlerts, type Alert, type AlertScope, type DeliveryState } from '../../domain/alert.js';
import type { Budget } from '../../domain/budget.js';
import type { Category, Expense } from '../../domain/expense.js';
import { emptyMonth, type MonthTotals } from '../../domain/month-totals.js';
import { decodeCursor, encodeCursor, expenseIdOfListKey, listKey } from '../expense-listing.js';
import { expensesTable } from './expenses-table.js';

export const DYNAMODB_TOKENS = {
  Client: Symbol.for('DynamoDBClient'),
  TableName: Symbol.for('ExpensesTableName'),
};

type Item = Record<string, AttributeValue>;

const PK = expensesTable.partitionKey.name;
const SK = expensesTable.sortKey.name;
const monthKey = (month: string) => `#MONTH#${month}`;
const BUDGET_KEY = '#BUDGET';
const alertKey = (alertId: string) => `#ALERT#${alertId.replaceAll('_', '#')}`;
const idempotencyKey = (key: string) => `#IDEMPOTENCY#${key}`;

/**
 * The ledger in one DynamoDB table (see expenses-table.ts for the item types). Every user action
 * is one TransactWriteItems: the expense, its months' totals (guarded by a version number), the
 * alerts it raised and the idempotency record commit together or not at all, so a write costs
 * the same however many expenses the user has and a month's summary is a single item read.
 */
@injectable()
export class DynamoDbLedgerRepository implements LedgerRepository {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
  ) {}

  async getExpense(userId: string, id: string): Promise<Expense | null> {
    if (id.startsWith('#')) return null; // ids never start with '#'; such keys belong to other item types
    const item = await this.getItem(userId, id);
    return item ? expenseFromItem(item) : null;
  }

  async listExpenses(userId: string, query: ListExpensesQuery): Promise<ExpensePage> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, query.month);
    const found: Expense[] = [];
    let startKey: Item | undefined = after === null ? undefined
      : { [PK]: s(userId), [SK]: s(expenseIdOfListKey(after)), list_key: s(after) };
    // Fetch one more than the page to know whether another page exists. With a category filter
    // DynamoDB applies Limit before filtering, so keep reading until the page is full.
    do {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: expensesTable.byDateIndex.name,
        KeyConditionExpression: '#pk = :user AND begins_with(list_key, :month)',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':user': s(userId), ':month': s(`${query.month}-`) },
        ScanIndexForward: false,
        Limit: query.limit + 1 - found.length,
        ExclusiveStartKey: startKey,
      };
      if (query.category) {
        input.FilterExpression = 'category = :category';
        input.ExpressionAttributeValues![':category'] = s(query.category);
        input.Limit = Math.max(input.Limit!, 50);
      }
      const page = await this.send(() => this.client.send(new QueryCommand(input)));
      found.push(...(page.Items ?? []).map(expenseFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && found.length <= query.limit);
    const items = found.slice(0, query.limit);
    return { items, nextCursor: found.length > query.limit ? encodeCursor(listKey(items[items.length - 1]!)) : null };
  }

  async getMonths(userId: string, months: string[]): Promise<VersionedMonth[]> {
    return Promise.all(months.map(async (month) => {
      const item = await this.getItem(userId, monthKey(month));
      return item ? monthFromItem(item) : { totals: emptyMonth(month), version: 0 };
    }));
  }

  async getBudget(userId: string): Promise<Budget | null> {
    const item = await this.getItem(userId, BUDGET_KEY);
    return item ? budgetFromItem(item) : null;
  }

  async getMonthAndBudget(userId: string, month: string): Promise<{ totals: MonthTotals; budget: Budget | null }> {
    // Both items in one request, eventually consistent: 0.5 RCU each instead of 1.
    const items: Item[] = [];
    let keys: Item[] | undefined = [key(userId, monthKey(month)), key(userId, BUDGET_KEY)];
    for (let attempt = 0; keys?.length; attempt++) {
      if (attempt >= 5) throw new DependencyUnavailableError('DynamoDB left keys unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 50 * 2 ** attempt)));
      const result = await this.send(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys } } })));
      items.push(...(result.Responses?.[this.tableName] ?? []));
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    const monthItem = items.find((item) => item[SK]!.S === monthKey(month));
    const budgetItem = items.find((item) => item[SK]!.S === BUDGET_KEY);
    return { totals: monthItem ? monthFromItem(monthItem).totals : emptyMonth(month), budget: budgetItem ? budgetFromItem(budgetItem) : null };
  }

  async getIdempotencyRecord(userId: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
    const item = await this.getItem(userId, idempotencyKey(key));
    // TTL deletion lags by up to days: an expired record is treated as absent.
    if (!item || Number(item[expensesTable.ttlAttribute]!.N) <= now.getTime() / 1000) return null;
    return { fingerprint: item.fingerprint!.S!, response: JSON.parse(item.response!.S!) };
  }

  async commit(userId: string, change: LedgerChange): Promise<void> {
    const items: TransactWriteItem[] = [];
    const table = this.tableName;
    const names = { '#sk': SK };
    if (change.expense) {
      const { kind, expense } = change.expense;
      if (kind === 'delete') {
        items.push({ Delete: { TableName: table, Key: key(userId, expense.id), ConditionExpression: 'attribute_exists(#sk)', ExpressionAttributeNames: names } });
      } else {
        items.push({ Put: {
          TableName: table, Item: expenseToItem(userId, expense), ExpressionAttributeNames: names,
          ConditionExpression: kind === 'create' ? 'attribute_not_exists(#sk)' : 'attribute_exists(#sk)',
        } });
      }
    }
    for (const { totals, expectedVersion } of change.months) {
      items.push({ Put: {
        TableName: table, Item: monthToItem(userId, totals, expectedVersion + 1),
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: names }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': n(expectedVersion) } }),
      } });
    }
    for (const alert of change.newAlerts) {
      items.push({ Put: { TableName: table, Item: alertToItem(userId, alert), ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: names } });
    }
    if (change.budget) items.push({ Put: { TableName: table, Item: budgetToItem(userId, change.budget) } });
    const idempotencyIndex = items.length;
    if (change.idempotency) {
      const { key: requestKey, record, now, expiresAt } = change.idempotency;
      items.push({ Put: {
        TableName: table,
        Item: {
          [PK]: s(userId), [SK]: s(idempotencyKey(requestKey)),
          fingerprint: s(record.fingerprint), response: s(JSON.stringify(record.response)),
          [expensesTable.ttlAttribute]: n(Math.ceil(expiresAt.getTime() / 1000)),
        },
        ConditionExpression: 'attribute_not_exists(#sk) OR #ttl <= :now',
        ExpressionAttributeNames: { ...names, '#ttl': expensesTable.ttlAttribute },
        ExpressionAttributeValues: { ':now': n(Math.floor(now.getTime() / 1000)) },
      } });
    }
    try {
      await this.send(() => this.client.send(new TransactWriteItemsCommand({ TransactItems: items })));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (change.idempotency && reasons[idempotencyIndex]?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyTakenError();
      // A failed condition or a conflicting transaction: someone else changed the month first.
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new ConcurrentChangeError();
      if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) {
        throw new DependencyUnavailableError('DynamoDB throttled the write');
      }
      throw error;
    }
  }

  async listAlerts(userId: string, month: string): Promise<Alert[]> {
    return (await this.queryAlerts(userId, `#ALERT#${month}#`)).sort(compareAlerts);
  }

  async listDueAlerts(now: Date, limit: number): Promise<{ userId: string; alert: Alert }[]> {
    const { name, partitionKey, sortKey } = expensesTable.pendingAlertsIndex;
    const due: { userId: string; alert: Alert }[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.send(() => this.client.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: '#queue = :pending AND #due <= :now',
        ExpressionAttributeNames: { '#queue': partitionKey.name, '#due': sortKey.name },
        ExpressionAttributeValues: { ':pending': s('pending'), ':now': n(now.getTime()) },
        Limit: limit - due.length,
        ExclusiveStartKey: startKey,
      })));
      due.push(...(page.Items ?? []).map((item) => ({ userId: item[PK]!.S!, alert: alertFromItem(item) })));
      startKey = page.LastEvaluatedKey;
    } while (startKey && due.length < limit);
    return due;
  }

  async claimAlertDelivery(userId: string, alertId: string, now: Date, leaseMs: number): Promise<{ attempts: number } | null> {
    try {
      const result = await this.send(() => this.client.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(userId, alertKey(alertId)),
        UpdateExpression: 'SET attempts = if_not_exists(attempts, :zero) + :one, lease_until = :lease',
        ConditionExpression: 'attribute_exists(#sk) AND delivery = :pending AND (attribute_not_exists(lease_until) OR lease_until <= :now)',
        ExpressionAttributeNames: { '#sk': SK },
        ExpressionAttributeValues: {
          ':zero': n(0), ':one': n(1), ':pending': s('pending'),
          ':now': n(now.getTime()), ':lease': n(now.getTime() + leaseMs),
        },
        ReturnValues: 'UPDATED_NEW',
      })));
      return { attempts: Number(result.Attributes!.attempts!.N) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async settleAlertDelivery(userId: string, alertId: string, delivery: DeliveryState, retryAt?: Date): Promise<void> {
    // Still pending: the claim becomes the time of the next attempt. Settled: leave the retry index.
    const retry = delivery === 'pending' && retryAt;
    try {
      await this.send(() => this.client.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(userId, alertKey(alertId)),
        UpdateExpression: retry ? 'SET delivery = :delivery, lease_until = :retryAt' : 'SET delivery = :delivery REMOVE lease_until, delivery_queue',
        ConditionExpression: 'attribute_exists(#sk)',
        ExpressionAttributeNames: { '#sk': SK },
        ExpressionAttributeValues: { ':delivery': s(delivery), ...(retry ? { ':retryAt': n(retryAt.getTime()) } : {}) },
      })));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async queryAlerts(userId: string, prefix: string): Promise<Alert[]> {
    const alerts: Alert[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.send(() => this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :user AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':user': s(userId), ':prefix': s(prefix) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      })));
      alerts.push(...(page.Items ?? []).map(alertFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return alerts;
  }

  private async getItem(userId: string, sortKey: string): Promise<Item | null> {
    const result = await this.send(() => this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(userId, sortKey), ConsistentRead: true })));
    return result.Item ?? null;
  }

  /** The SDK already retried throttling with jittered backoff; what still fails is a 503 for the caller. */
  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isUnavailable(error)) throw new DependencyUnavailableError(`DynamoDB unavailable: ${(error as Error).name}`);
      throw error;
    }
  }
}

const UNAVAILABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout', 'ECONNREFUSED', 'ECONNRESET',
]);

export function isUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown };
  return UNAVAILABLE_ERRORS.has(e?.name ?? '') || UNAVAILABLE_ERRORS.has(e?.code ?? '');
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const key = (userId: string, sortKey: string): Item => ({ [PK]: s(userId), [SK]: s(sortKey) });

function amounts(map: Record<string, number>): AttributeValue {
  return { M: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, n(v)])) };
}

function amountsFrom(value: AttributeValue | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(value?.M ?? {}).map(([k, v]) => [k, Number(v.N)]));
}

/** Also used by the cost benchmark, so its naive design stores exactly the same expense items. */
export function expenseToItem(userId: string, expense: Expense): Item {
  return {
    ...key(userId, expense.id),
    amount: n(expense.amount),
    category: s(expense.category),
    date: s(expense.date),
    ...(expense.description !== undefined ? { description: s(expense.description) } : {}),
    created_at: s(expense.createdAt),
    updated_at: s(expense.updatedAt),
    list_key: s(listKey(expense)),
  };
}

export function expenseFromItem(item: Item): Expense {
  return {
    id: item[SK]!.S!,
    amount: Number(item.amount!.N),
    category: item.category!.S as Category,
    date: item.date!.S!,
    ...(item.description ? { description: item.description.S! } : {}),
    createdAt: item.created_at!.S!,
    updatedAt: item.updated_at!.S!,
  };
}

function monthToItem(userId: string, totals: MonthTotals, version: number): Item {
  return {
    ...key(userId, monthKey(totals.month)),
    month: s(totals.month),
    total: n(totals.total),
    expense_count: n(totals.count),
    by_category: amounts(totals.byCategory),
    alerted: { L: totals.alerted.map(s) },
    version: n(version),
  };
}

function monthFromItem(item: Item): VersionedMonth {
  return {
    totals: {
      month: item.month!.S!,
      total: Number(item.total!.N),
      count: Number(item.expense_count!.N),
      byCategory: amountsFrom(item.by_category),
      alerted: (item.alerted?.L ?? []).map((v) => v.S!),
    },
    version: Number(item.version!.N),
  };
}

function budgetToItem(userId: string, budget: Budget): Item {
  return {
    ...key(userId, BUDGET_KEY),
    currency: s(budget.currency),
    monthly_limit: budget.monthlyLimit === null ? { NULL: true } : n(budget.monthlyLimit),
    category_limits: amounts(budget.categoryLimits),
    thresholds: { L: budget.thresholds.map(n) },
    alert_email: budget.alertEmail === null ? { NULL: true } : s(budget.alertEmail),
  };
}

function budgetFromItem(item: Item): Budget {
  return {
    currency: item.currency!.S!,
    monthlyLimit: item.monthly_limit?.N === undefined ? null : Number(item.monthly_limit.N),
    categoryLimits: amountsFrom(item.category_limits),
    thresholds: (item.thresholds?.L ?? []).map((v) => Number(v.N)),
    alertEmail: item.alert_email?.S ?? null,
  };
}

function alertToItem(userId: string, alert: Alert): Item {
  return {
    ...key(userId, alertKey(alert.id)),
    alert_id: s(alert.id),
    month: s(alert.month),
    scope: s(alert.scope),
    threshold: n(alert.threshold),
    spent: n(alert.spent),
    limit_amount: n(alert.limit),
    created_at: s(alert.createdAt),
    delivery: s(alert.delivery),
    // A new alert is due for delivery at once; these two keys place it in the pending_alerts index.
    ...(alert.delivery === 'pending'
      ? { [expensesTable.pendingAlertsIndex.partitionKey.name]: s('pending'), [expensesTable.pendingAlertsIndex.sortKey.name]: n(Date.parse(alert.createdAt)) }
      : {}),
  };
}

/** Also used by the stream entry point, which receives alert items as stream images. */
export function alertFromItem(item: Item): Alert {
  return {
    id: item.alert_id!.S!,
    month: item.month!.S!,
    scope: item.scope!.S as AlertScope,
    threshold: Number(item.threshold!.N),
    spent: Number(item.spent!.N),
    limit: Number(item.limit_amount!.N),
    createdAt: item.created_at!.S!,
    delivery: item.delivery!.S as DeliveryState,
  };
}
