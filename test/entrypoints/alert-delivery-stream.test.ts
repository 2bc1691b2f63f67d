import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { expect } from 'chai';
import { TOKENS } from '../../src/application/ports.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { DeliverAlerts } from '../../src/application/use-cases/deliver-alerts.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { createAlertStreamHandler } from '../../src/adapters/dynamodb/alert-stream-handler.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';

function record(sequence: string, image: Record<string, AttributeValue> | undefined, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT'): DynamoDBRecord {
  return { eventName, dynamodb: { SequenceNumber: sequence, ...(image ? { NewImage: image as never } : {}) } };
}

describe('alert-delivery Lambda (DynamoDB stream, DynamoDB Local)', () => {
  let app: TestApp;
  let table: Awaited<ReturnType<typeof freshTable>>;
  let handler: ReturnType<typeof createAlertStreamHandler>;

  beforeEach(async () => {
    table = await freshTable();
    app = testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName });
    handler = createAlertStreamHandler(app.container.get(DeliverAlerts), app.container.get(TOKENS.Logger));
    await app.get(SetBudget).execute('user-a', budget({ monthlyLimit: 10000, thresholds: [80] }));
  });
  afterEach(async () => table.drop());

  async function alertImage(userId: string, alertId: string): Promise<Record<string, AttributeValue>> {
    const key = `#ALERT#${alertId.replaceAll('_', '#')}`;
    const { Item } = await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: { user_id: { S: userId }, expense_id: { S: key } } }));
    return Item!;
  }

  it('delivers a pending alert that the API could not publish, once', async () => {
    app.notifier.failing = true;
    await app.get(AddExpense).execute('user-a', details({ amount: 9000 }));
    app.notifier.failing = false;
    app.clock.current = new Date(app.clock.current.getTime() + 30_000); // the next attempt is due
    const image = await alertImage('user-a', '2026-11_total_80');
    const event: DynamoDBStreamEvent = { Records: [record('1', image)] };
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(((await app.get(ListAlerts).execute('user-a', '2026-11')).alerts)[0]!.delivery).to.equal('sent');
    // The MODIFY record of that write arrives too; it must not send again.
    expect(await handler({ Records: [record('2', await alertImage('user-a', '2026-11_total_80'), 'MODIFY')] })).to.deep.equal({ batchItemFailures: [] });
    expect(app.notifier.published).to.have.length(1);
  });

  it('ignores records that are not pending alerts', async () => {
    await app.get(AddExpense).execute('user-a', details({ amount: 100 }));
    const month = (await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: { user_id: { S: 'user-a' }, expense_id: { S: '#MONTH#2026-11' } } }))).Item!;
    expect(await handler({ Records: [record('1', month), record('2', undefined, 'REMOVE')] })).to.deep.equal({ batchItemFailures: [] });
    expect(app.notifier.published).to.deep.equal([]);
  });

  it('reports only the record that failed, and still processes the rest of the batch', async () => {
    app.notifier.failing = true;
    await app.get(AddExpense).execute('user-a', details({ amount: 9000 }));
    app.notifier.failing = false;
    app.clock.current = new Date(app.clock.current.getTime() + 30_000); // the next attempt is due
    const good = await alertImage('user-a', '2026-11_total_80');
    const broken = { ...good, alert_id: { S: '2026-11_total_80' }, spent: { S: 'not a number' } } as Record<string, AttributeValue>;
    delete (broken as Record<string, unknown>).user_id;
    const result = await handler({ Records: [record('10', broken), record('11', good)] });
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: '10' }] });
    expect(app.notifier.published.map((p) => p.alert.id)).to.deep.equal(['2026-11_total_80']);
  });
});
