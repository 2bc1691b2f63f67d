import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type { RecurrenceRepository, VersionedRecurrence } from '../../application/ports.js';
import type { Recurrence } from '../../domain/recurrence.js';
import { getItem, queryDue, queryPrefix } from './dynamodb-calls.js';
import { DYNAMODB_TOKENS } from './dynamodb-ledger-repository.js';
import { PK, QUEUES, SK } from './ledger-items.js';
import { recurrenceFromItem, recurringKey, RECURRING_PREFIX } from './recurrence-items.js';

const oldestFirst = (a: VersionedRecurrence, b: VersionedRecurrence) =>
  (a.recurrence.createdAt < b.recurrence.createdAt ? -1 : a.recurrence.createdAt > b.recurrence.createdAt ? 1 : a.recurrence.id < b.recurrence.id ? -1 : 1);

/** Recurring expenses in the Expenses table (see recurrence-items.ts); written by the ledger's transactions. */
@injectable()
export class DynamoDbRecurrenceRepository implements RecurrenceRepository {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
  ) {}

  async list(userId: string): Promise<VersionedRecurrence[]> {
    return (await queryPrefix(this.client, this.tableName, userId, RECURRING_PREFIX)).map(recurrenceFromItem).sort(oldestFirst);
  }

  async listForDisplay(userId: string): Promise<Recurrence[]> {
    // Eventually consistent: half the read units, for the summary's "upcoming".
    return (await queryPrefix(this.client, this.tableName, userId, RECURRING_PREFIX, false)).map(recurrenceFromItem).sort(oldestFirst).map((r) => r.recurrence);
  }


  async get(userId: string, id: string): Promise<VersionedRecurrence | null> {
    const item = await getItem(this.client, this.tableName, userId, recurringKey(id));
    return item ? recurrenceFromItem(item) : null;
  }

  async listDue(now: Date, limit: number): Promise<{ userId: string; id: string }[]> {
    const due = await queryDue(this.client, this.tableName, QUEUES.recurring, now, limit);
    return due.map((item) => ({ userId: item[PK]!.S!, id: item[SK]!.S!.slice(RECURRING_PREFIX.length) }));
  }

}
