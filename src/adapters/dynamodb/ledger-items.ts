import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { BudgetRecord, VersionedBudget, VersionedCategories, VersionedMonth } from '../../application/ports.js';
import { defaultCategories, type Category } from '../../domain/category.js';
import { defaultBudgetRecord } from '../../application/ports.js';
import { TOTAL_SCOPE_NAME, type Alert, type AlertKind, type DeliveryState } from '../../domain/alert.js';
import type { CarryPlans } from '../../domain/carry.js';
import type { Expense } from '../../domain/expense.js';
import type { MonthTotals } from '../../domain/month-totals.js';
import { DEFAULT_TIME_ZONE } from '../../domain/time-zone.js';
import { listKey } from '../expense-listing.js';
import { expensesTable } from './expenses-table.js';

/** How each item type of the Expenses table maps to the domain; the one place that knows attribute names. */

export type Item = Record<string, AttributeValue>;

export const PK = expensesTable.partitionKey.name;
export const SK = expensesTable.sortKey.name;
export const QUEUE = expensesTable.pendingAlertsIndex.partitionKey.name;
export const DUE = expensesTable.pendingAlertsIndex.sortKey.name;

/** The partitions of the due-work index (see expenses-table.ts). */
export const QUEUES = { alerts: 'pending', unwrittenAlerts: 'unwritten_alerts', unsubscribes: 'unsubscribe', recurring: 'recurring' } as const;
/**
 * Monthly report schedules go to one of this many partitions of the due-work index (by a hash of
 * the user): a million schedules moving on the 1st would crowd one partition key.
 */
export const REPORT_QUEUE_SHARDS = 16;
export const reportQueue = (shard: number) => `reports#${shard}`;

/**
 * Every item other than an expense has a sort key starting with '#'; expense ids
 * (^[A-Za-z0-9_-]+$) all sort after '$', so `sort key > EXPENSES_AFTER` reads expenses only.
 */
export const EXPENSES_AFTER = '$';
export const monthKey = (month: string) => `#MONTH#${month}`;
export const BUDGET_KEY = '#BUDGET';
export const alertKey = (alertId: string) => `#ALERT#${alertId.replaceAll('_', '#')}`;
export const idempotencyKey = (key: string) => `#IDEMPOTENCY#${key}`;
/** A month item's attribute holding an alert committed with it whose own item is not written yet. */
export const UNWRITTEN_ALERT_PREFIX = 'unwritten_alert#';

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const key = (userId: string, sortKey: string): Item => ({ [PK]: s(userId), [SK]: s(sortKey) });

function numberMap(map: Record<string, number>): AttributeValue {
  return { M: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, n(v)])) };
}

function numberMapFrom(value: AttributeValue | undefined): Record<string, number> {
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
    ...(expense.original ? { original_amount: n(expense.original.amount), original_currency: s(expense.original.currency) } : {}),
    ...(expense.recurringId ? { recurring_id: s(expense.recurringId) } : {}),
    created_at: s(expense.createdAt),
    updated_at: s(expense.updatedAt),
    list_key: s(listKey(expense)),
  };
}

export function expenseFromItem(item: Item): Expense {
  return {
    id: item[SK]!.S!,
    amount: Number(item.amount!.N),
    category: item.category!.S!,
    date: item.date!.S!,
    ...(item.description ? { description: item.description.S! } : {}),
    ...(item.original_amount ? { original: { amount: Number(item.original_amount.N), currency: item.original_currency!.S! } } : {}),
    ...(item.recurring_id ? { recurringId: item.recurring_id.S! } : {}),
    createdAt: item.created_at!.S!,
    updatedAt: item.updated_at!.S!,
  };
}

/** A condition that holds only while the stored expense is exactly `expense` (names `#p_*`, values `:was_*`). */
export function unchangedExpenseCondition(expense: Expense): { expression: string; names: Record<string, string>; values: Item } {
  const stored = expenseToItem('', expense);
  const names: Record<string, string> = {};
  const values: Item = {};
  const parts = ['amount', 'category', 'date', 'description', 'original_amount', 'original_currency', 'recurring_id', 'created_at', 'updated_at'].map((name) => {
    names[`#p_${name}`] = name;
    if (stored[name] === undefined) return `attribute_not_exists(#p_${name})`;
    values[`:was_${name}`] = stored[name];
    return `#p_${name} = :was_${name}`;
  });
  return { expression: parts.join(' AND '), names, values };
}

/** The month's own attributes (not its key, nor alerts waiting to be written). */
export function monthAttributes(totals: MonthTotals, version: number): Item {
  return {
    month: s(totals.month),
    total: n(totals.total),
    expense_count: n(totals.count),
    by_category: numberMap(totals.byCategory),
    // Left out while unknown (a month written before days were kept), so it stays unknown, not empty.
    ...(totals.byDay === null ? {} : { by_day: numberMap(totals.byDay) }),
    count_by_category: numberMap(totals.countByCategory),
    recurring_by_category: numberMap(totals.recurringByCategory),
    carry_spent: numberMap(totals.carrySpent),
    alerted: { L: totals.alerted.map(s) },
    version: n(version),
  };
}

export function monthFromItem(item: Item): VersionedMonth {
  return {
    totals: {
      month: item.month!.S!,
      total: Number(item.total!.N),
      count: Number(item.expense_count!.N),
      byCategory: numberMapFrom(item.by_category),
      byDay: item.by_day ? numberMapFrom(item.by_day) : Number(item.expense_count!.N) === 0 ? {} : null,
      countByCategory: numberMapFrom(item.count_by_category),
      recurringByCategory: numberMapFrom(item.recurring_by_category),
      carrySpent: numberMapFrom(item.carry_spent),
      alerted: (item.alerted?.L ?? []).map((v) => v.S!),
    },
    version: Number(item.version!.N),
  };
}

/** Alerts a month item holds that still need their own item. */
export function unwrittenAlertsOf(item: Item): Alert[] {
  return Object.entries(item).filter(([name]) => name.startsWith(UNWRITTEN_ALERT_PREFIX)).map(([, value]) => JSON.parse(value.S!) as Alert);
}

function budgetAttributes({ budget, subscription, alertEmailRequests, staleSubscriptions, writeAllowance, categoryIds, recurringCount, carryPlans }: BudgetRecord): Item {
  return {
    currency: s(budget.currency),
    monthly_limit: budget.monthlyLimit === null ? { NULL: true } : n(budget.monthlyLimit),
    category_limits: numberMap(budget.categoryLimits),
    thresholds: { L: budget.thresholds.map(n) },
    alert_email: budget.alertEmail === null ? { NULL: true } : s(budget.alertEmail),
    time_zone: s(budget.timeZone),
    rollover: { L: budget.rollover.map(s) },
    forecast_thresholds: { L: budget.forecastThresholds.map(n) },
    monthly_report: { BOOL: budget.monthlyReport },
    carry_plans: s(JSON.stringify(carryPlans)),
    ...(subscription ? { subscription_arn: s(subscription.subscriptionArn), alert_recipient: s(subscription.recipient), subscribed_email: s(subscription.email) } : {}),
    alert_email_requests: { L: alertEmailRequests.map(s) },
    stale_subscriptions: { M: Object.fromEntries(Object.entries(staleSubscriptions).map(([arn, email]) => [arn, s(email)])) },
    ...(writeAllowance ? { write_allowance: n(writeAllowance.milliWrites), write_allowance_at: s(writeAllowance.at) } : {}),
    ...(categoryIds ? { category_ids: { L: categoryIds.map(s) } } : {}),
    ...(recurringCount > 0 ? { recurring_count: n(recurringCount) } : {}),
  };
}

/** Budget attributes a record may leave out; an update removes them. */
const OPTIONAL_BUDGET_ATTRIBUTES = ['subscription_arn', 'alert_recipient', 'subscribed_email', 'write_allowance', 'write_allowance_at', 'category_ids', 'recurring_count'];

/**
 * Writes the whole record (an update, not a put, so the due time of pending unsubscribes
 * survives the budget writes that every expense write makes). Stale subscriptions put the budget
 * in the due-work index, due at once unless a failed attempt already postponed them; none left
 * takes it out. The version is `#version`, for the caller's condition.
 */
export function budgetUpdate(record: BudgetRecord, version: number): { UpdateExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Item } {
  const attributes = Object.entries(budgetAttributes(record));
  const names: Record<string, string> = { '#queue': QUEUE, '#due': DUE, '#version': 'version' };
  const values: Item = { ':version': n(version) };
  const sets = attributes.map(([name, value], i) => {
    names[`#b${i}`] = name;
    values[`:b${i}`] = value;
    return `#b${i} = :b${i}`;
  });
  sets.push('#version = :version');
  const removes = OPTIONAL_BUDGET_ATTRIBUTES.filter((name) => !attributes.some(([present]) => present === name)).map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  if (Object.keys(record.staleSubscriptions).length) {
    values[':queue'] = s(QUEUES.unsubscribes);
    values[':due_now'] = n(0);
    sets.push('#queue = :queue', '#due = if_not_exists(#due, :due_now)');
  } else {
    removes.push('#queue', '#due');
  }
  return { UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** The budget's part of a transaction: the whole record, written only while the stored budget is at `expectedVersion`. */
export function budgetTransactItem(tableName: string, userId: string, record: BudgetRecord, expectedVersion: number): TransactWriteItem {
  const update = budgetUpdate(record, expectedVersion + 1);
  const names: Record<string, string> = { '#sk': SK };
  const condition = expectedVersion === 0
    ? 'attribute_not_exists(#sk)'
    // A budget stored before budgets carried a version reads as version 1.
    : expectedVersion === 1 ? '#version = :expected OR (attribute_exists(#sk) AND attribute_not_exists(#version))' : '#version = :expected';
  return { Update: {
    TableName: tableName, Key: key(userId, BUDGET_KEY), UpdateExpression: update.UpdateExpression, ConditionExpression: condition,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...(expectedVersion <= 1 ? names : {}) },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...(expectedVersion > 0 ? { ':expected': n(expectedVersion) } : {}) },
  } };
}

export const CATEGORIES_KEY = '#CATEGORIES';

/** The categories item: the whole list as JSON (about 80 bytes a category), and a version. */
export function categoriesToItem(userId: string, categories: Category[], version: number): Item {
  return { ...key(userId, CATEGORIES_KEY), categories: s(JSON.stringify(categories)), version: n(version) };
}

export function categoriesFromItem(item: Item | null): VersionedCategories {
  if (!item) return { categories: defaultCategories(), version: 0 };
  return { categories: JSON.parse(item.categories!.S!) as Category[], version: Number(item.version!.N) };
}

export function budgetFromItem(item: Item | null): VersionedBudget {
  if (!item) return { record: defaultBudgetRecord(), version: 0 };
  return {
    record: {
      budget: {
        currency: item.currency!.S!,
        monthlyLimit: item.monthly_limit?.N === undefined ? null : Number(item.monthly_limit.N),
        categoryLimits: numberMapFrom(item.category_limits),
        thresholds: (item.thresholds?.L ?? []).map((v) => Number(v.N)),
        alertEmail: item.alert_email?.S ?? null,
        // Budgets stored before time zones were UTC.
        timeZone: item.time_zone?.S ?? DEFAULT_TIME_ZONE,
        rollover: (item.rollover?.L ?? []).map((v) => v.S!),
        forecastThresholds: (item.forecast_thresholds?.L ?? []).map((v) => Number(v.N)),
        monthlyReport: item.monthly_report?.BOOL ?? false,
      },
      subscription: item.subscription_arn?.S
        ? { email: item.subscribed_email!.S!, subscriptionArn: item.subscription_arn.S, recipient: item.alert_recipient!.S! }
        : null,
      alertEmailRequests: (item.alert_email_requests?.L ?? []).map((v) => v.S!),
      staleSubscriptions: Object.fromEntries(Object.entries(item.stale_subscriptions?.M ?? {}).map(([arn, email]) => [arn, email.S!])),
      writeAllowance: item.write_allowance_at?.S ? { milliWrites: Number(item.write_allowance!.N), at: item.write_allowance_at.S } : null,
      categoryIds: item.category_ids?.L ? item.category_ids.L.map((v) => v.S!) : null,
      recurringCount: Number(item.recurring_count?.N ?? 0),
      carryPlans: item.carry_plans?.S ? JSON.parse(item.carry_plans.S) as CarryPlans : {},
    },
    // Budgets written before budgets were versioned count as version 1.
    version: item.version?.N === undefined ? 1 : Number(item.version.N),
  };
}

export function alertToItem(userId: string, alert: Alert): Item {
  return {
    ...key(userId, alertKey(alert.id)),
    alert_id: s(alert.id),
    kind: s(alert.kind),
    ...(alert.forecast !== null ? { forecast: n(alert.forecast) } : {}),
    month: s(alert.month),
    scope: s(alert.scope),
    scope_name: s(alert.scopeName),
    threshold: n(alert.threshold),
    spent: n(alert.spent),
    limit_amount: n(alert.limit),
    created_at: s(alert.createdAt),
    delivery: s(alert.delivery),
    // A new alert is due for delivery at once; these two keys place it in the due-work index.
    ...(alert.delivery === 'pending' ? { [QUEUE]: s(QUEUES.alerts), [DUE]: n(Date.parse(alert.createdAt)) } : {}),
  };
}

/** Also used by the stream entry point, which receives alert items as stream images. */
export function alertFromItem(item: Item): Alert {
  return {
    id: item.alert_id!.S!,
    // Alerts raised before forecasts were actual ones.
    kind: (item.kind?.S ?? 'actual') as AlertKind,
    forecast: item.forecast?.N === undefined ? null : Number(item.forecast.N),
    month: item.month!.S!,
    scope: item.scope!.S!,
    // Alerts raised before categories had names were about a default category, whose id is its name.
    scopeName: item.scope_name?.S ?? (item.scope!.S === 'total' ? TOTAL_SCOPE_NAME : item.scope!.S!),
    threshold: Number(item.threshold!.N),
    spent: Number(item.spent!.N),
    limit: Number(item.limit_amount!.N),
    createdAt: item.created_at!.S!,
    delivery: item.delivery!.S as DeliveryState,
  };
}
