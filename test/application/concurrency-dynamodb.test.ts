import { expect } from 'chai';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { RateLimitedError } from '../../src/domain/errors.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';

describe('concurrent writes on DynamoDB Local', function () {
  this.timeout(120_000);
  let app: TestApp;
  let table: Awaited<ReturnType<typeof freshTable>>;

  beforeEach(async () => {
    table = await freshTable();
    app = testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName });
  });
  afterEach(async () => table.drop());

  /** Another API instance (its own container and DynamoDB client) on the same table. */
  const instance = () => testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName });

  it('50 parallel adds for one user give a total equal to the exact sum', async () => {
    const amounts = Array.from({ length: 50 }, (_, i) => 1 + ((i * 104729) % 9999999));
    const instances = [app, instance(), instance()];
    await Promise.all(amounts.map((amount, i) => instances[i % 3]!.get(AddExpense).execute('user-a', details({ amount, category: i % 2 ? 'Food' : 'Travel' }))));
    const summary = await app.get(GetMonthSummary).execute('user-a', '2026-11');
    expect(summary.total).to.equal(amounts.reduce((a, b) => a + b, 0));
    expect(summary.count).to.equal(50);
    expect(summary.byCategory.Food! + summary.byCategory.Travel!).to.equal(summary.total);
  });

  it('shares one write-rate bucket per user across instances: of 24 concurrent adds at one instant exactly the burst commits', async () => {
    const limited = { burst: 10, refillPerSecond: 1 };
    const instances = [1, 2, 3].map(() => testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName, writeRateLimit: limited }));
    for (const each of instances) each.clock.current = app.clock.current;
    const outcomes = await Promise.allSettled(Array.from({ length: 24 }, (_, i) =>
      instances[i % 3]!.get(AddExpense).execute('user-a', details({ amount: 100, date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-05` }))));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.length - refused.length).to.equal(10);
    for (const o of refused) expect((o as PromiseRejectedResult).reason).to.be.instanceOf(RateLimitedError);
    let stored = 0;
    for (let m = 1; m <= 12; m++) stored += (await app.get(GetMonthSummary).execute('user-a', `2026-${String(m).padStart(2, '0')}`)).count;
    expect(stored, 'only the allowed adds are stored').to.equal(10);
  });

  it('two concurrent writes from two instances that both cross a threshold raise exactly one alert', async () => {
    await app.get(SetBudget).execute('user-a', budget({ monthlyLimit: 10000, thresholds: [80] }));
    await app.get(AddExpense).execute('user-a', details({ amount: 7000 }));
    const other = instance();
    const results = await Promise.all([
      app.get(AddExpense).execute('user-a', details({ amount: 1500 })),
      other.get(AddExpense).execute('user-a', details({ amount: 1500 })),
    ]);
    expect(results.flatMap((r) => r.alerts)).to.have.length(1);
    expect((await app.get(ListAlerts).execute('user-a', '2026-11')).alerts).to.have.length(1);
    expect(app.notifier.published.length + other.notifier.published.length).to.equal(1);
  });
});
