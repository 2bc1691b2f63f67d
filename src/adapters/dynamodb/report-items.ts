import { createHash } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { LedgerChange } from '../../application/ports.js';
import { DUE, key, n, QUEUE, REPORT_QUEUE_SHARDS, reportQueue, s } from './ledger-items.js';

/**
 * Monthly report items (see expenses-table.ts): `#REPORTS`, the user's schedule, in the due-work
 * index (`reports#<shard>` partitions, due when the next report is) while the report is on; and
 * `#REPORT#<YYYY-MM>`, one record per report, whose conditional claim makes it go out once.
 */
export const REPORT_SCHEDULE_KEY = '#REPORTS';
export const reportKey = (month: string) => `#REPORT#${month}`;
/** Report records are kept this long, then expire (TTL). */
export const REPORT_RECORD_DAYS = 400;

function reportShardOf(userId: string): number {
  return createHash('sha256').update(userId).digest()[0]! % REPORT_QUEUE_SHARDS;
}

/** The schedule's part of a ledger transaction, beside the budget that turns the report on or off. */
export function reportScheduleTransactItem(tableName: string, userId: string, change: NonNullable<LedgerChange['reportSchedule']>): TransactWriteItem {
  if (change.write === 'delete') return { Delete: { TableName: tableName, Key: key(userId, REPORT_SCHEDULE_KEY) } };
  return { Put: { TableName: tableName, Item: { ...key(userId, REPORT_SCHEDULE_KEY), [QUEUE]: s(reportQueue(reportShardOf(userId))), [DUE]: n(change.dueAt) } } };
}
