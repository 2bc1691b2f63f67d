import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { LedgerChange, VersionedRecurrence } from '../../application/ports.js';
import { DUE, key, n, QUEUE, QUEUES, s, SK, type Item } from './ledger-items.js';

/**
 * Recurring expense items (see expenses-table.ts): `#RECURRING#<id>`, the recurrence as JSON and a
 * version; while it has a next occurrence it sits in the due-work index (`recurring` partition, due
 * at the start of that occurrence's day), so the scheduled run finds what is due without a Scan.
 */
export const RECURRING_PREFIX = '#RECURRING#';
export const recurringKey = (id: string) => `${RECURRING_PREFIX}${id}`;

export function recurrenceFromItem(item: Item): VersionedRecurrence {
  return { recurrence: JSON.parse(item.recurrence!.S!), version: Number(item.version!.N), dueAt: item[DUE]?.N === undefined ? null : Number(item[DUE].N) };
}

/** The recurrence's part of a ledger transaction: stored or deleted only while at its expected version. */
export function recurrenceTransactItem(tableName: string, userId: string, change: NonNullable<LedgerChange['recurrence']>): TransactWriteItem {
  const { recurrence, expectedVersion, dueAt } = change;
  const condition = expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: { '#sk': SK } }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': n(expectedVersion) } };
  if (change.write === 'delete') return { Delete: { TableName: tableName, Key: key(userId, recurringKey(recurrence.id)), ...condition } };
  return { Put: {
    TableName: tableName,
    Item: {
      ...key(userId, recurringKey(recurrence.id)),
      recurrence: s(JSON.stringify(recurrence)),
      version: n(expectedVersion + 1),
      ...(dueAt === null ? {} : { [QUEUE]: s(QUEUES.recurring), [DUE]: n(dueAt) }),
    },
    ...condition,
  } };
}
