import { expect } from 'chai';
import { RunDueRecurrences } from '../../src/application/use-cases/run-recurrences.js';
import { CreateRecurrence } from '../../src/application/use-cases/recurrences.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { ListExpenses } from '../../src/application/use-cases/list-expenses.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';

describe('recurring expenses on DynamoDB Local: runners on separate instances', function () {
  this.timeout(120_000);
  let table: Awaited<ReturnType<typeof freshTable>>;
  let instances: TestApp[];
  const at = (iso: string) => { for (const app of instances) app.clock.current = new Date(iso); };

  beforeEach(async () => {
    table = await freshTable();
    instances = [1, 2, 3].map(() => testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName, writeRateLimit: BULK_WRITES }));
  });
  afterEach(async () => table.drop());

  it('three schedulers running at once make every occurrence of 20 users\' bills exactly once, with exact totals', async () => {
    at('2026-11-20T09:00:00Z');
    const users = Array.from({ length: 20 }, (_, i) => `runner-user-${i}`);
    for (const user of users) {
      await instances[0]!.get(CreateRecurrence).execute(user, { expense: { amount: 12.5, category: 'Food' }, schedule: { frequency: 'daily', interval: 1, startDate: '2026-11-21', weekend: 'none' } });
      await instances[0]!.get(CreateRecurrence).execute(user, { expense: { amount: 900, category: 'Housing' }, schedule: { frequency: 'monthly', interval: 1, startDate: '2026-12-01', weekend: 'none' } });
    }
    at('2026-12-03T09:00:00Z');
    const runs = await Promise.all(instances.flatMap((app) => [app.get(RunDueRecurrences).execute(), app.get(RunDueRecurrences).execute()]));
    // 13 daily occurrences (21 Nov to 3 Dec) and one rent per user, made once between all runners.
    expect(runs.reduce((sum, r) => sum + r.made, 0)).to.equal(20 * 14);
    for (const user of users) {
      const november = await instances[1]!.get(GetMonthSummary).execute(user, '2026-11');
      const december = await instances[2]!.get(GetMonthSummary).execute(user, '2026-12');
      expect([november.count, november.total, december.count, december.total], user).to.deep.equal([10, 12_500, 4, 90_000 + 3 * 1250]);
      const listed = (await instances[0]!.get(ListExpenses).execute(user, { month: '2026-12', limit: 100 })).items;
      expect(new Set(listed.map((e) => e.id)).size).to.equal(4);
    }
    // Nothing more is due: another run makes nothing.
    expect((await instances[0]!.get(RunDueRecurrences).execute()).made).to.equal(0);
  });
});
