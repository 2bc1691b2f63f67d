import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, QueryCommand, UpdateItemCommand,
  type AttributeValue, type QueryCommandInput, type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import {
  ExpensesExistError, IdempotencyKeyTakenError, TOKENS,
  type DeliveryClaim, type ExpensePage, type IdempotencyRecord, type LedgerChange, type LedgerRepository, type ListExpensesQuery, type Logger,
  type VersionedBudget, type VersionedMonth,
} from '../../application/ports.js';
import { compareAlerts, type Alert, type DeliveryState } from '../../domain/alert.js';
import type { Expense } from '../../domain/expense.js';
import { emptyMonth, type MonthTotals } from '../../domain/month-totals.js';
import { decodeCursor, encodeCursor, expenseIdOfListKey, listKey } from '../expense-listing.js';
import { callDynamoDb, getItem, queryDue, queryPrefix, transact, updateUnlessChanged } from './dynamodb-calls.js';
import { expensesTable } from './expenses-table.js';
import { importBatchTransactItems } from './import-items.js';
import { recurrenceTransactItem } from './recurrence-items.js';
import { reportScheduleTransactItem } from './report-items.js';
import {
  alertFromItem, alertKey, alertToItem, BUDGET_KEY, EXPENSES_AFTER, budgetFromItem, budgetTransactItem, DUE, expenseFromItem, expenseToItem, idempotencyKey, key,
  monthAttributes, monthFromItem, monthKey, n, PK, QUEUE, QUEUES, s, SK, unchangedExpenseCondition, UNWRITTEN_ALERT_PREFIX, unwrittenAlertsOf,
  type Item,
} from './ledger-items.js';

export const DYNAMODB_TOKENS = {
  Client: Symbol.for('DynamoDBClient'),
  TableName: Symbol.for('ExpensesTableName'),
};

/** How long a committed alert waits on its month item before the retry pass writes its item for a crashed writer. */
const UNWRITTEN_ALERT_GRACE_MS = 60_000;
/** How many months with unwritten alerts one retry pass repairs. */
const REPAIR_BATCH = 25;

/**
 * The ledger in one DynamoDB table (see expenses-table.ts for the item types). Every user action
 * is one TransactWriteItems of at most five items: the expense (conditioned on being exactly what
 * was read), its months' totals (guarded by a version number), the budget and the idempotency
 * record commit together or not at all, so a write costs the same however many expenses the user
 * has and a month's summary is a single item read.
 *
 * Alerts a write raises ride on their month item in that transaction (`unwritten_alert#<id>`
 * attributes, with the month in the due-work index), so a write crossing a hundred thresholds
 * stays within DynamoDB's 100-item transaction limit. Right after the commit each alert gets its
 * own item and leaves the month; if the writer dies in between, the retry pass finishes the job.
 * The month's `alerted` list, written in the transaction, is what makes an alert happen once.
 */
@injectable()
export class DynamoDbLedgerRepository implements LedgerRepository {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async getExpense(userId: string, id: string): Promise<Expense | null> {
    if (id.startsWith('#')) return null; // ids never start with '#'; such keys belong to other item types
    const item = await this.getItem(userId, id);
    return item ? expenseFromItem(item) : null;
  }

  async hasExpenses(userId: string): Promise<boolean> {
    // The table, not the by_date index: an index read could miss an expense committed a moment ago.
    const page = await callDynamoDb(() => this.client.send(new QueryCommand({
      TableName: this.tableName, ConsistentRead: true, Limit: 1, ProjectionExpression: '#sk',
      KeyConditionExpression: '#pk = :user AND #sk > :after',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':user': s(userId), ':after': s(EXPENSES_AFTER) },
    })));
    return (page.Items?.length ?? 0) > 0;
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
      const page = await callDynamoDb(() => this.client.send(new QueryCommand(input)));
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

  async listMonths(userId: string): Promise<VersionedMonth[]> {
    return (await this.queryPrefix(userId, '#MONTH#')).map(monthFromItem);
  }

  async getMonthRange(userId: string, from: string, to: string | null, consistent = true): Promise<VersionedMonth[]> {
    return (await this.queryMonths(userId, { from, to: to ?? '9999-12', newestFirst: false, consistent })).map(monthFromItem);
  }

  async getRecentMonths(userId: string, through: string, count: number, consistent: boolean): Promise<VersionedMonth[]> {
    return (await this.queryMonths(userId, { from: '0000-01', to: through, newestFirst: true, consistent, limit: count })).map(monthFromItem);
  }

  async getBudget(userId: string, consistent = true): Promise<VersionedBudget> {
    return budgetFromItem(await getItem(this.client, this.tableName, userId, BUDGET_KEY, consistent));
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
    const writes = [...(change.expense ? [change.expense] : []), ...(change.expenses ?? [])];
    for (const write of writes) {
      const expected = write.kind === 'create' ? null : unchangedExpenseCondition(write.kind === 'replace' ? write.previous : write.expense);
      const condition = expected
        ? { ConditionExpression: expected.expression, ExpressionAttributeNames: expected.names, ExpressionAttributeValues: expected.values }
        : { ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: names };
      items.push(write.kind === 'delete'
        ? { Delete: { TableName: table, Key: key(userId, write.expense.id), ...condition } }
        : { Put: { TableName: table, Item: expenseToItem(userId, write.expense), ...condition } });
    }
    for (const { totals, expectedVersion } of change.months) {
      const alerts = change.newAlerts.filter((alert) => alert.month === totals.month);
      items.push({ Update: { TableName: table, Key: key(userId, monthKey(totals.month)), ...monthUpdate(totals, expectedVersion, alerts) } });
    }
    const orphans = change.newAlerts.filter((alert) => !change.months.some((m) => m.totals.month === alert.month));
    if (orphans.length) throw new Error(`alerts ${orphans.map((a) => a.id).join(', ')} belong to no month of this change`);
    if (change.budget) items.push(budgetTransactItem(table, userId, change.budget.record, change.budget.expectedVersion));
    if (change.importBatch) items.push(...importBatchTransactItems(table, userId, change.importBatch));
    if (change.recurrence) items.push(recurrenceTransactItem(table, userId, change.recurrence));
    if (change.reportSchedule) items.push(reportScheduleTransactItem(table, userId, change.reportSchedule));
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
    if (items.length === 0) return;
    await transact(this.client, items, (reasons) => {
      if (change.idempotency && reasons[idempotencyIndex]?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyTakenError();
      // Expense writes come first, in order: a create whose condition failed names an expense that exists.
      const existing = writes.filter((write, i) => write.kind === 'create' && reasons[i]?.Code === 'ConditionalCheckFailed').map((write) => write.expense.id);
      if (existing.length) throw new ExpensesExistError(existing);
    });
    // Committed. Writing the alert items is a follow-up the retry pass repeats if this fails.
    for (const { totals, expectedVersion } of change.months) {
      const alerts = change.newAlerts.filter((alert) => alert.month === totals.month);
      if (alerts.length === 0) continue;
      try {
        await this.writeAlertItems(userId, totals.month, expectedVersion + 1, alerts);
      } catch (error) {
        this.logger.error('alert items deferred to the retry pass', { userId, month: totals.month, alerts: alerts.map((a) => a.id), error: String(error) });
      }
    }
  }

  async listAlerts(userId: string, month: string): Promise<Alert[]> {
    return (await this.queryAlerts(userId, `#ALERT#${month}#`)).sort(compareAlerts);
  }

  /** Writes first the alert items a crashed writer left on their month item, so their delivery is due too. */
  async listDueAlerts(now: Date, limit: number): Promise<{ userId: string; alert: Alert }[]> {
    for (const month of await this.queryDue(QUEUES.unwrittenAlerts, now, REPAIR_BATCH)) {
      const { totals, version } = monthFromItem(month);
      await this.writeAlertItems(month[PK]!.S!, totals.month, version, unwrittenAlertsOf(month));
    }
    return (await this.queryDue(QUEUES.alerts, now, limit)).map((item) => ({ userId: item[PK]!.S!, alert: alertFromItem(item) }));
  }

  async claimAlertDelivery(userId: string, alertId: string, now: Date, leaseMs: number): Promise<DeliveryClaim | null> {
    const token = randomUUID();
    const claimed = await updateUnlessChanged(this.client, {
      TableName: this.tableName,
      Key: key(userId, alertKey(alertId)),
      UpdateExpression: 'SET attempts = if_not_exists(attempts, :zero) + :one, #due = :lease, claim_token = :token',
      ConditionExpression: 'attribute_exists(#sk) AND delivery = :pending AND (attribute_not_exists(#due) OR #due <= :now)',
      ExpressionAttributeNames: { '#sk': SK, '#due': DUE },
      ExpressionAttributeValues: {
        ':zero': n(0), ':one': n(1), ':pending': s('pending'), ':token': s(token),
        ':now': n(now.getTime()), ':lease': n(now.getTime() + leaseMs),
      },
      ReturnValues: 'UPDATED_NEW',
    });
    return claimed ? { attempts: Number(claimed.attempts!.N), token } : null;
  }

  async settleAlertDelivery(userId: string, alertId: string, claim: DeliveryClaim, delivery: DeliveryState, retryAt?: Date): Promise<void> {
    // Still pending: the claim becomes the time of the next attempt. Settled: leave the due-work index.
    const retry = delivery === 'pending' && retryAt;
    await this.updateUnlessChanged({
      TableName: this.tableName,
      Key: key(userId, alertKey(alertId)),
      UpdateExpression: retry ? 'SET delivery = :delivery, #due = :retryAt REMOVE claim_token' : 'SET delivery = :delivery REMOVE #due, #queue, claim_token',
      ConditionExpression: 'claim_token = :token AND delivery = :pending',
      ExpressionAttributeNames: { '#due': DUE, ...(retry ? {} : { '#queue': QUEUE }) },
      ExpressionAttributeValues: { ':delivery': s(delivery), ':token': s(claim.token), ':pending': s('pending'), ...(retry ? { ':retryAt': n(retryAt.getTime()) } : {}) },
    });
  }

  async listDueUnsubscribes(now: Date, limit: number): Promise<string[]> {
    return (await this.queryDue(QUEUES.unsubscribes, now, limit)).map((item) => item[PK]!.S!);
  }

  async forgetStaleSubscription(userId: string, subscriptionArn: string): Promise<void> {
    const budgetKey = key(userId, BUDGET_KEY);
    await this.updateUnlessChanged({
      TableName: this.tableName, Key: budgetKey,
      UpdateExpression: 'REMOVE stale_subscriptions.#arn',
      ConditionExpression: 'attribute_exists(stale_subscriptions.#arn)',
      ExpressionAttributeNames: { '#arn': subscriptionArn },
    });
    // The last one gone: the budget leaves the due-work index.
    await this.updateUnlessChanged({
      TableName: this.tableName, Key: budgetKey,
      UpdateExpression: 'REMOVE #queue, #due',
      ConditionExpression: 'size(stale_subscriptions) = :zero AND attribute_exists(#queue)',
      ExpressionAttributeNames: { '#queue': QUEUE, '#due': DUE },
      ExpressionAttributeValues: { ':zero': n(0) },
    });
  }

  async postponeUnsubscribes(userId: string, retryAt: Date): Promise<void> {
    await this.updateUnlessChanged({
      TableName: this.tableName, Key: key(userId, BUDGET_KEY),
      UpdateExpression: 'SET #due = :retryAt',
      ConditionExpression: 'attribute_exists(#queue)',
      ExpressionAttributeNames: { '#queue': QUEUE, '#due': DUE },
      ExpressionAttributeValues: { ':retryAt': n(retryAt.getTime()) },
    });
  }

  /**
   * Gives each alert its own item (never overwriting one already written, whose delivery may have
   * moved on), then removes them from the month. The month leaves the due-work index only if no
   * later write added alerts of its own meanwhile (its version is still `version`).
   */
  private async writeAlertItems(userId: string, month: string, version: number, alerts: Alert[]): Promise<void> {
    for (const alert of alerts) {
      try {
        await callDynamoDb(() => this.client.send(new PutItemCommand({
          TableName: this.tableName, Item: alertToItem(userId, alert),
          ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: { '#sk': SK },
        })));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    const names = Object.fromEntries(alerts.map((alert, i) => [`#a${i}`, `${UNWRITTEN_ALERT_PREFIX}${alert.id}`]));
    const removeAlerts = Object.keys(names).join(', ');
    const cleared = await this.updateUnlessChanged({
      TableName: this.tableName, Key: key(userId, monthKey(month)),
      UpdateExpression: `REMOVE ${[removeAlerts, '#queue', '#due'].filter(Boolean).join(', ')}`,
      ConditionExpression: 'version = :version',
      ExpressionAttributeNames: { ...names, '#queue': QUEUE, '#due': DUE },
      ExpressionAttributeValues: { ':version': n(version) },
    });
    if (!cleared && removeAlerts) {
      await callDynamoDb(() => this.client.send(new UpdateItemCommand({
        TableName: this.tableName, Key: key(userId, monthKey(month)), UpdateExpression: `REMOVE ${removeAlerts}`, ExpressionAttributeNames: names,
      })));
    }
  }

  /** A conditional update whose failed condition means "nothing left to do"; false when it did not apply. */
  private async updateUnlessChanged(input: ConstructorParameters<typeof UpdateItemCommand>[0]): Promise<boolean> {
    return (await updateUnlessChanged(this.client, input)) !== null;
  }

  private queryDue(queue: string, now: Date, limit: number): Promise<Item[]> {
    return queryDue(this.client, this.tableName, queue, now, limit);
  }


  private async queryAlerts(userId: string, prefix: string): Promise<Alert[]> {
    return (await this.queryPrefix(userId, prefix)).map(alertFromItem);
  }

  /** Month items from `from` through `to` (YYYY-MM), up to `limit` of them (all when absent). */
  private async queryMonths(userId: string, range: { from: string; to: string; newestFirst: boolean; consistent: boolean; limit?: number }): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await callDynamoDb(() => this.client.send(new QueryCommand({
        TableName: this.tableName, ConsistentRead: range.consistent, ExclusiveStartKey: startKey,
        ScanIndexForward: !range.newestFirst, ...(range.limit ? { Limit: range.limit - items.length } : {}),
        KeyConditionExpression: '#pk = :user AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':user': s(userId), ':from': s(monthKey(range.from)), ':to': s(monthKey(range.to)) },
      })));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (range.limit === undefined || items.length < range.limit));
    return items;
  }

  private queryPrefix(userId: string, prefix: string): Promise<Item[]> {
    return queryPrefix(this.client, this.tableName, userId, prefix);
  }


  private getItem(userId: string, sortKey: string): Promise<Item | null> {
    return getItem(this.client, this.tableName, userId, sortKey);
  }

}

/**
 * The month write: its totals, a new version, and the alerts it raised waiting for their own
 * items (which also puts the month in the due-work index, due after a grace period).
 */
function monthUpdate(totals: MonthTotals, expectedVersion: number, alerts: Alert[]): Pick<TransactWriteItem['Update'] & object, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const attributes: Item = monthAttributes(totals, expectedVersion + 1);
  alerts.forEach((alert) => { attributes[`${UNWRITTEN_ALERT_PREFIX}${alert.id}`] = s(JSON.stringify(alert)); });
  if (alerts.length) {
    attributes[QUEUE] = s(QUEUES.unwrittenAlerts);
    attributes[DUE] = n(Math.max(...alerts.map((alert) => Date.parse(alert.createdAt))) + UNWRITTEN_ALERT_GRACE_MS);
  }
  const names: Record<string, string> = expectedVersion === 0 ? { '#sk': SK } : {};
  const values: Record<string, AttributeValue> = {};
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  const condition = expectedVersion === 0 ? 'attribute_not_exists(#sk)' : 'version = :expected';
  if (expectedVersion !== 0) values[':expected'] = n(expectedVersion);
  return { UpdateExpression: `SET ${sets.join(', ')}`, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}
