import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import { type ImportBatch, type ImportRecord, type ImportRepository, type VersionedImport } from '../../application/ports.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ImportTable } from '../../domain/import-rows.js';
import { callDynamoDb, getItem, putUnlessChanged, queryPrefix } from './dynamodb-calls.js';
import { DYNAMODB_TOKENS } from './dynamodb-ledger-repository.js';
import { expensesTable } from './expenses-table.js';
import { batchFromItem, importBatchPrefix, importFilePrefix, importFromItem, importKey, importToItem, IMPORT_PREFIX } from './import-items.js';
import { key, n, type Item } from './ledger-items.js';

/** A chunk of the gzipped file: well under DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 350 * 1024;
/** How long an uploaded file (and a draft never committed) is kept: DynamoDB's TTL deletes it after. */
const DRAFT_LIFETIME_S = 7 * 24 * 60 * 60;

/**
 * Imports in the Expenses table (see import-items.ts). The parsed file is gzipped JSON in chunks
 * (a 5 MB CSV file is about 1 MB, three items); it expires with the draft, and a commit already
 * started has long read it by then.
 */
@injectable()
export class DynamoDbImportRepository implements ImportRepository {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
  ) {}

  async create(userId: string, record: ImportRecord, table: ImportTable): Promise<void> {
    const expiresAt = n(Math.ceil(Date.parse(record.createdAt) / 1000) + DRAFT_LIFETIME_S);
    const file = gzipSync(JSON.stringify(table));
    const chunks = Array.from({ length: Math.ceil(file.length / CHUNK_BYTES) }, (_, i) => file.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
    await Promise.all(chunks.map((chunk, i) => callDynamoDb(() => this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: { ...key(userId, `${importFilePrefix(record.id)}${String(i).padStart(4, '0')}`), data: { B: chunk }, [expensesTable.ttlAttribute]: expiresAt },
    })))));
    // The record last: a draft is listed only once its whole file is stored.
    await putUnlessChanged(this.client, { TableName: this.tableName, Item: { ...importToItem(userId, record, 1), [expensesTable.ttlAttribute]: expiresAt } }, 0);
  }

  async get(userId: string, id: string): Promise<VersionedImport | null> {
    const item = await getItem(this.client, this.tableName, userId, importKey(id));
    return item ? importFromItem(item) : null;
  }

  async getTable(userId: string, id: string): Promise<ImportTable> {
    const chunks = await this.query(userId, importFilePrefix(id));
    if (chunks.length === 0) throw new NotFoundError('The uploaded file has expired (files are kept 7 days): upload it again');
    return JSON.parse(gunzipSync(Buffer.concat(chunks.map((c) => c.data!.B!))).toString('utf8')) as ImportTable;
  }

  async list(userId: string): Promise<ImportRecord[]> {
    return (await this.query(userId, IMPORT_PREFIX)).map((item) => importFromItem(item).record).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  async save(userId: string, record: ImportRecord, expectedVersion: number): Promise<void> {
    // A draft keeps expiring; once a commit starts, the record stays (without the TTL attribute).
    const expiry: Item = record.status === 'draft' ? { [expensesTable.ttlAttribute]: n(Math.ceil(Date.parse(record.createdAt) / 1000) + DRAFT_LIFETIME_S) } : {};
    await putUnlessChanged(this.client, { TableName: this.tableName, Item: { ...importToItem(userId, record, expectedVersion + 1), ...expiry } }, expectedVersion);
  }

  async listBatches(userId: string, id: string): Promise<ImportBatch[]> {
    return (await this.query(userId, importBatchPrefix(id))).map(batchFromItem);
  }

  private query(userId: string, prefix: string): Promise<Item[]> {
    return queryPrefix(this.client, this.tableName, userId, prefix);
  }
}
