import { randomUUID } from 'node:crypto';
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type { ReportClaim, ReportRepository } from '../../application/ports.js';
import { getItem, queryDue, updateUnlessChanged } from './dynamodb-calls.js';
import { DYNAMODB_TOKENS } from './dynamodb-ledger-repository.js';
import { expensesTable } from './expenses-table.js';
import { DUE, key, n, PK, REPORT_QUEUE_SHARDS, reportQueue, s, SK } from './ledger-items.js';
import { REPORT_RECORD_DAYS, REPORT_SCHEDULE_KEY, reportKey } from './report-items.js';

/** Report schedules and records in the Expenses table (see report-items.ts). */
@injectable()
export class DynamoDbReportRepository implements ReportRepository {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
  ) {}

  async listDue(now: Date, limit: number): Promise<{ userId: string; dueAt: number }[]> {
    const shards = await Promise.all(Array.from({ length: REPORT_QUEUE_SHARDS }, (_, shard) => queryDue(this.client, this.tableName, reportQueue(shard), now, limit)));
    return shards.flat().map((item) => ({ userId: item[PK]!.S!, dueAt: Number(item[DUE]!.N) })).sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
  }

  async holdForSending(userId: string, dueAt: number, now: Date, leaseMs: number): Promise<boolean> {
    return (await this.update(userId, REPORT_SCHEDULE_KEY, 'SET #due = :held', '#due = :listed', { ':held': n(now.getTime() + leaseMs), ':listed': n(dueAt) })) !== null;
  }

  async claim(userId: string, month: string, now: Date, leaseMs: number): Promise<ReportClaim | 'sent' | null> {
    const token = randomUUID();
    const claimed = await this.update(userId, reportKey(month),
      'SET report_status = :sending, claim_token = :token, lease_until = :lease, attempts = if_not_exists(attempts, :zero) + :one, #ttl = :ttl',
      'attribute_not_exists(#sk) OR (report_status = :sending AND lease_until <= :now)',
      {
        ':sending': s('sending'), ':token': s(token), ':lease': n(now.getTime() + leaseMs), ':now': n(now.getTime()), ':zero': n(0), ':one': n(1),
        ':ttl': n(Math.ceil(now.getTime() / 1000) + REPORT_RECORD_DAYS * 86_400),
      },
      { '#sk': SK, '#ttl': expensesTable.ttlAttribute });
    if (claimed) return { token, attempts: Number(claimed.attempts!.N) };
    const stored = await getItem(this.client, this.tableName, userId, reportKey(month));
    return stored?.report_status?.S === 'sent' ? 'sent' : null;
  }

  async markSent(userId: string, month: string, claim: ReportClaim, nextDueAt: number): Promise<void> {
    await this.update(userId, reportKey(month), 'SET report_status = :sent REMOVE claim_token, lease_until', 'claim_token = :token', { ':sent': s('sent'), ':token': s(claim.token) });
    await this.reschedule(userId, nextDueAt);
  }

  async release(userId: string, month: string, claim: ReportClaim, retryAt: Date): Promise<void> {
    await this.update(userId, reportKey(month), 'SET lease_until = :retry REMOVE claim_token', 'claim_token = :token', { ':retry': n(retryAt.getTime()), ':token': s(claim.token) });
  }

  async reschedule(userId: string, nextDueAt: number): Promise<void> {
    // Only while the user still has a schedule: one turned off meanwhile stays off.
    await this.update(userId, REPORT_SCHEDULE_KEY, 'SET #due = :next', 'attribute_exists(#sk)', { ':next': n(nextDueAt) }, { '#sk': SK });
  }

  /** A conditional update: the attributes it set when it applied, null when its condition failed. */
  private update(
    userId: string, sortKey: string, expression: string, condition: string,
    values: Record<string, AttributeValue>, names: Record<string, string> = {},
  ): Promise<Record<string, AttributeValue> | null> {
    return updateUnlessChanged(this.client, {
      TableName: this.tableName, Key: key(userId, sortKey), UpdateExpression: expression, ConditionExpression: condition,
      ...attributeNames({ ...(expression.includes('#due') || condition.includes('#due') ? { '#due': DUE } : {}), ...names }),
      ExpressionAttributeValues: values,
      ReturnValues: 'UPDATED_NEW',
    });
  }
}

/** DynamoDB refuses an empty ExpressionAttributeNames: leave it out when there are none. */
function attributeNames(names: Record<string, string>): { ExpressionAttributeNames?: Record<string, string> } {
  return Object.keys(names).length ? { ExpressionAttributeNames: names } : {};
}
