import { AsyncLocalStorage } from 'node:async_hooks';
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DYNAMODB_TOKENS } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { ConcurrentChangeError, TOKENS, type LedgerRepository } from '../../src/application/ports.js';
import { apiDependencies, type RuntimeConfig } from '../../src/composition-root.js';
import type { Alert } from '../../src/domain/alert.js';
import { apiEvent } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { freshTable } from '../support/services.js';

/** Fixed seeds keep every generated case reproducible; override with RELIABILITY_SEED to explore. */
export function seed(fallback: number): number {
  const fromEnv = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(fromEnv) && process.env.RELIABILITY_SEED ? fromEnv : fallback;
}

export const MONTHS = ['2026-10', '2026-11', '2026-12'] as const;

/** The real composition root on DynamoDB Local (a fresh table), quiet logger, settable clock. */
export async function dynamoApp(overrides: Partial<RuntimeConfig> = {}): Promise<{ app: TestApp; client: DynamoDBClient; raw: DynamoDBClient; endpoint: string; tableName: string; close(): Promise<void> }> {
  const table = await freshTable();
  const app = testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName, region: 'local', ...overrides });
  const client = app.container.get<DynamoDBClient>(DYNAMODB_TOKENS.Client);
  return {
    app, client, raw: table.client, endpoint: table.endpoint, tableName: table.tableName,
    close: async () => {
      client.destroy();
      await table.drop();
    },
  };
}

export function handlerOf(app: TestApp): ApiHandler {
  return createApiHandler(apiDependencies(app.container, []));
}

/** Every item stored in one user's partition, straight from the table (no adapter in between). */
export async function partitionItems(raw: DynamoDBClient, tableName: string, userId: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await raw.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': { S: userId } },
      ConsistentRead: true, ExclusiveStartKey: startKey,
    }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** An API Gateway HTTP API (payload 2.0) event with full control over every part a client can send. */
export { rawEvent, type RawRequest } from '../support/api-events.js';

/** A well-formed request by `user`; an object body is sent as JSON. */
export function request(method: string, path: string, user: string, options: { body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  return apiEvent(method, path, { ...options, user });
}

export function parsed(response: { body?: string }): any {
  return response.body ? JSON.parse(response.body) : undefined;
}

/**
 * Wraps a repository so each commit is attributed to the operation running it (AsyncLocalStorage),
 * counting attempts and lost races. Bind it in place of the real one before resolving use cases.
 */
export class CommitCounter {
  readonly storage = new AsyncLocalStorage<number>();
  readonly attempts = new Map<number, number>();
  readonly conflicts = new Map<number, number>();

  wrap(inner: LedgerRepository): LedgerRepository {
    return new Proxy(inner, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'commit') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<LedgerRepository['commit']>) => {
          const op = this.storage.getStore() ?? -1;
          this.attempts.set(op, (this.attempts.get(op) ?? 0) + 1);
          try {
            return await target.commit(...args);
          } catch (error) {
            if (error instanceof ConcurrentChangeError) this.conflicts.set(op, (this.conflicts.get(op) ?? 0) + 1);
            throw error;
          }
        };
      },
    });
  }

  run<T>(op: number, body: () => Promise<T>): Promise<T> {
    return this.storage.run(op, body);
  }
}

/** Puts a CommitCounter between the use cases and the repository of `app` (call before resolving use cases). */
export function countCommits(app: TestApp): CommitCounter {
  const counter = new CommitCounter();
  const wrapped = counter.wrap(app.container.get(TOKENS.LedgerRepository));
  app.container.rebind(TOKENS.LedgerRepository).toConstantValue(wrapped);
  return counter;
}

/** The order ListAlerts promises, implemented independently: oldest first, total before categories, lower threshold first, actual before forecast. */
export function alertOrder(a: Alert, b: Alert): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  const rank = (alert: Alert) => (alert.scope === 'total' ? '' : alert.scope);
  if (rank(a) !== rank(b)) return rank(a) < rank(b) ? -1 : 1;
  if (a.threshold !== b.threshold) return a.threshold - b.threshold;
  return a.kind === b.kind ? 0 : a.kind === 'actual' ? -1 : 1;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
