import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { emptyMonth } from '../../src/domain/month-totals.js';
import { RecordingLogger } from '../support/app.js';
import { alert } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';
import { ledgerRepositoryContract } from './ledger-repository.contract.js';

ledgerRepositoryContract('in memory', async () => ({ repository: new InMemoryLedgerRepository(), cleanup: async () => {} }));

ledgerRepositoryContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return { repository: new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger()), cleanup: table.drop };
});

describe('DynamoDB ledger: alerts committed on the month item', () => {
  it('keeps alerts a crashed writer could not write as items, and the retry pass writes them', async () => {
    const table = await freshTable();
    try {
      // The transaction goes through; every PutItem after it fails, as if the process died there.
      const failingPuts = new Proxy(table.client, {
        get: (target, property, receiver) => property === 'send'
          ? (command: unknown) => (command instanceof PutItemCommand ? Promise.reject(Object.assign(new Error('gone'), { name: 'InternalServerError' })) : target.send(command as never))
          : Reflect.get(target, property, receiver),
      }) as DynamoDBClient;
      const logger = new RecordingLogger();
      const crashing = new DynamoDbLedgerRepository(failingPuts, table.tableName, logger);
      const raised = [alert({ threshold: 80 }), alert({ threshold: 100 })];
      await crashing.commit('user-a', { months: [{ totals: { ...emptyMonth('2026-11'), total: 10_000, count: 1, alerted: ['total#80', 'total#100'] }, expectedVersion: 0 }], newAlerts: raised });
      expect(logger.lines.map((l) => l.message)).to.deep.equal(['alert items deferred to the retry pass']);

      const repository = new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger());
      expect(await repository.listAlerts('user-a', '2026-11')).to.deep.equal([]);
      const created = Date.parse(raised[0]!.createdAt);
      // Within the grace period the writer may still be at it; after it, the retry pass takes over.
      expect(await repository.listDueAlerts(new Date(created + 59_000), 10)).to.deep.equal([]);
      const due = await repository.listDueAlerts(new Date(created + 61_000), 10);
      expect(due.map((d) => d.alert.id)).to.deep.equal(['2026-11_total_80', '2026-11_total_100']);
      expect(await repository.listAlerts('user-a', '2026-11')).to.deep.equal(raised);
      const { Item } = await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: { user_id: { S: 'user-a' }, expense_id: { S: '#MONTH#2026-11' } }, ConsistentRead: true }));
      expect(Object.keys(Item!).filter((name) => name.startsWith('unwritten_alert#') || name === 'delivery_queue')).to.deep.equal([]);
      expect((await repository.getMonths('user-a', ['2026-11']))[0]).to.deep.equal({ totals: { ...emptyMonth('2026-11'), total: 10_000, count: 1, alerted: ['total#80', 'total#100'] }, version: 1 });
    } finally {
      await table.drop();
    }
  });
});

describe('DynamoDB ledger: months written before days were kept', () => {
  it('reads such a month with unknown days, keeps them unknown on the next write, and empty again once it is', async () => {
    const table = await freshTable();
    try {
      // A month item as the version before by_day wrote it.
      await table.client.send(new PutItemCommand({
        TableName: table.tableName,
        Item: {
          user_id: { S: 'user-a' }, expense_id: { S: '#MONTH#2026-10' }, month: { S: '2026-10' }, total: { N: '700' }, expense_count: { N: '2' },
          by_category: { M: { Food: { N: '700' } } }, count_by_category: { M: { Food: { N: '2' } } }, recurring_by_category: { M: {} },
          carry_spent: { M: {} }, alerted: { L: [] }, version: { N: '4' },
        },
      }));
      const repository = new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger());
      const [read] = await repository.getMonths('user-a', ['2026-10']);
      expect(read!.totals.byDay).to.equal(null);
      await repository.commit('user-a', { months: [{ totals: { ...read!.totals, total: 900, count: 3 }, expectedVersion: 4 }], newAlerts: [] });
      const { Item } = await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: { user_id: { S: 'user-a' }, expense_id: { S: '#MONTH#2026-10' } }, ConsistentRead: true }));
      expect(Item!.by_day, 'not written as an empty map').to.equal(undefined);
      expect((await repository.getMonths('user-a', ['2026-10']))[0]!.totals.byDay).to.equal(null);
    } finally {
      await table.drop();
    }
  });
});
