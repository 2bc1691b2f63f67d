import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { ImportBatch, ImportRecord, ImportStatus, VersionedImport } from '../../application/ports.js';
import { key, n, s, SK, type Item } from './ledger-items.js';

/**
 * The import item types (see expenses-table.ts):
 *   #IMPORT#<id>                 the import's record (JSON), its status and version
 *   #IMPORTFILE#<id>#<n>         the uploaded file, parsed, gzipped, in chunks; expires with a draft
 *   #IMPORTBATCH#<id>#<key>      the expense ids one committed batch created, for undoing it
 * Different prefixes, so listing imports (begins_with #IMPORT#) never reads files or batches.
 */
export const IMPORT_PREFIX = '#IMPORT#';
export const importKey = (id: string) => `${IMPORT_PREFIX}${id}`;
export const importFilePrefix = (id: string) => `#IMPORTFILE#${id}#`;
export const importBatchPrefix = (id: string) => `#IMPORTBATCH#${id}#`;

export function importToItem(userId: string, record: ImportRecord, version: number): Item {
  return { ...key(userId, importKey(record.id)), record: s(JSON.stringify(record)), status: s(record.status), version: n(version) };
}

export function importFromItem(item: Item): VersionedImport {
  return { record: JSON.parse(item.record!.S!) as ImportRecord, version: Number(item.version!.N) };
}

export function batchFromItem(item: Item): ImportBatch {
  return { key: item[SK]!.S!.slice(item[SK]!.S!.indexOf('#', '#IMPORTBATCH#'.length) + 1), month: item.month!.S!, expenseIds: item.expense_ids!.L!.map((v) => v.S!) };
}

/**
 * An import batch's part of a ledger transaction: the import must still be in `status`, and the
 * batch record is created (never over an existing one) or deleted (only while it exists).
 */
export function importBatchTransactItems(tableName: string, userId: string, batch: { importId: string; status: ImportStatus; write: 'put' | 'delete'; batch: ImportBatch }): TransactWriteItem[] {
  const batchKey = key(userId, `${importBatchPrefix(batch.importId)}${batch.batch.key}`);
  return [
    { ConditionCheck: {
      TableName: tableName, Key: key(userId, importKey(batch.importId)),
      ConditionExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': s(batch.status) },
    } },
    batch.write === 'put'
      ? { Put: {
        TableName: tableName,
        Item: { ...batchKey, month: s(batch.batch.month), expense_ids: { L: batch.batch.expenseIds.map(s) } },
        ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: { '#sk': SK },
      } }
      : { Delete: { TableName: tableName, Key: batchKey, ConditionExpression: 'attribute_exists(#sk)', ExpressionAttributeNames: { '#sk': SK } } },
  ];
}
