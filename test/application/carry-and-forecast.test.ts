import { expect } from 'chai';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { CreateRecurrence } from '../../src/application/use-cases/recurrences.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { UpdateExpense } from '../../src/application/use-cases/update-expense.js';
import { DeleteExpense } from '../../src/application/use-cases/delete-expense.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';

const USER = 'carry-user';
const alertIds = async (app: TestApp, month: string) => (await app.get(ListAlerts).execute(USER, month)).alerts.map((a) => a.id);

describe('carry-over through the write path', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = testApp();
    // Carrying starts in October, the month the budget is saved.
    app.clock.current = new Date('2026-10-05T09:00:00.000Z');
    await app.get(SetBudget).execute(USER, budget({ categoryLimits: { Food: 30_000 }, rollover: ['Food'], thresholds: [80, 100] }));
  });

  it('a backdated edit changes every later month\'s carry at once, and raises the current month\'s alert it now reaches', async () => {
    const october = await app.get(AddExpense).execute(USER, details({ amount: 100, category: 'Food', date: '2026-10-03' }));
    app.clock.current = new Date('2026-12-10T09:00:00.000Z');
    await app.get(AddExpense).execute(USER, details({ amount: 40_000, category: 'Food', date: '2026-12-02' }));
    // December: 300 + (October left 299 + November 300) = 899; 400 of it is 44%.
    expect((await app.get(GetMonthSummary).execute(USER, '2026-12')).categories.Food).to.deep.include({ baseLimit: 30_000, carry: 59_900, limit: 89_900 });
    expect(await alertIds(app, '2026-12')).to.deep.equal([]);

    const edited = await app.get(UpdateExpense).execute(USER, october.expense.id, details({ amount: 50_000, category: 'Food', date: '2026-10-03' }));
    // October overspent by 200: December's limit is 300 - 200 + 300 = 400, all used.
    expect(edited.alerts.map((a) => [a.id, a.limit])).to.deep.equal([
      ['2026-10_Food_80', 30_000], ['2026-10_Food_100', 30_000], ['2026-12_Food_80', 40_000], ['2026-12_Food_100', 40_000],
    ]);
    expect((await app.get(GetMonthSummary).execute(USER, '2026-12')).categories.Food).to.deep.include({ carry: 10_000, limit: 40_000, percentUsed: 100 });
    // November was never written: it shows its carry from October.
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).categories.Food).to.deep.include({ carry: -20_000, limit: 10_000, spent: 0 });

    // Deleting it raises December's limit again; alerts stay raised (once per month, scope and threshold).
    await app.get(DeleteExpense).execute(USER, october.expense.id);
    expect((await app.get(GetMonthSummary).execute(USER, '2026-12')).categories.Food).to.deep.include({ carry: 60_000, limit: 90_000 });
    expect(await alertIds(app, '2026-12')).to.deep.equal(['2026-12_Food_80', '2026-12_Food_100']);
  });

  it('a limit changed later applies from that month: the months before keep carrying the old one', async () => {
    app.clock.current = new Date('2026-12-01T09:00:00.000Z');
    await app.get(SetBudget).execute(USER, budget({ categoryLimits: { Food: 10_000 }, rollover: ['Food'], thresholds: [80, 100] }));
    // October and November carried 300 each; December's own limit is 100.
    expect((await app.get(GetMonthSummary).execute(USER, '2026-12')).categories.Food).to.deep.include({ baseLimit: 10_000, carry: 60_000, limit: 70_000 });
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).categories.Food).to.deep.include({ baseLimit: 30_000, carry: 30_000 });
    // Months before carrying started show today's limit, with no carry.
    expect((await app.get(GetMonthSummary).execute(USER, '2026-09')).categories.Food).to.deep.include({ baseLimit: 10_000, carry: 0 });
  });
});

describe('forecast alerts through the write path', () => {
  it('warns once, when the forecast first reaches a threshold, and not for a threshold spending then reaches', async () => {
    const app = testApp();
    app.clock.current = new Date('2026-11-10T09:00:00.000Z');
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 100_000, thresholds: [80, 100], forecastThresholds: [100] }));
    // October: 25.00 a day, not recurring (775 of 1,000: no alert).
    await app.get(AddExpense).execute(USER, details({ amount: 77_500, category: 'Food', date: '2026-10-15' }));
    // 50 spent by the 10th, and 20 days at 25 a day: 550 forecast, under 1,000.
    const first = await app.get(AddExpense).execute(USER, details({ amount: 5_000, category: 'Food', date: '2026-11-10' }));
    expect(first.alerts).to.deep.equal([]);
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).budget).to.deep.include({ spent: 5_000, forecast: 5_000 + 50_000 });
    const second = await app.get(AddExpense).execute(USER, details({ amount: 50_000, category: 'Food', date: '2026-11-10' }));
    expect(second.alerts.map((a) => [a.id, a.kind, a.spent, a.forecast])).to.deep.equal([['2026-11_total_100_forecast', 'forecast', 55_000, 105_000]]);
    expect(app.notifier.published.map((p) => p.alert.id)).to.deep.equal(['2026-11_total_100_forecast']);
    const third = await app.get(AddExpense).execute(USER, details({ amount: 1_000, category: 'Food', date: '2026-11-10' }));
    expect(third.alerts).to.deep.equal([]);
    // Spending itself reaches 80%, then 100%: actual alerts, and no second forecast alert.
    const fourth = await app.get(AddExpense).execute(USER, details({ amount: 44_000, category: 'Food', date: '2026-11-10' }));
    expect(fourth.alerts.map((a) => a.id)).to.deep.equal(['2026-11_total_80', '2026-11_total_100']);
  });

  it('paces nothing on day 1 without history, and counts the recurring bills still due', async () => {
    const app = testApp();
    app.clock.current = new Date('2026-11-01T09:00:00.000Z');
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 100_000, thresholds: [100], forecastThresholds: [100] }));
    // No history, day 1: no pace, so one big purchase does not make a forecast alert.
    const big = await app.get(AddExpense).execute(USER, details({ amount: 60_000, category: 'Food', date: '2026-11-01' }));
    expect(big.alerts).to.deep.equal([]);
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).budget).to.deep.include({ forecast: 60_000 });
    // Rent of 500 on the 25th is still due: the next write sees 1,100 coming.
    await app.get(CreateRecurrence).execute(USER, {
      expense: { amount: 500, category: 'Housing' },
      schedule: { frequency: 'monthly', interval: 1, startDate: '2026-11-25', dayOfMonth: 25, weekend: 'none' },
    });
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).budget).to.deep.include({ forecast: 110_000 });
    const next = await app.get(AddExpense).execute(USER, details({ amount: 100, category: 'Food', date: '2026-11-01' }));
    expect(next.alerts.map((a) => [a.id, a.forecast])).to.deep.equal([['2026-11_total_100_forecast', 110_100]]);
  });
});

describe('carry-over and forecasts on DynamoDB Local, under concurrency', function () {
  this.timeout(120_000);
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeEach(async () => { table = await freshTable(); });
  afterEach(async () => table.drop());
  const instance = () => testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName });

  it('raises each forecast alert once when three instances add at the same time', async () => {
    const instances = [instance(), instance(), instance()];
    const [app] = instances as [TestApp, TestApp, TestApp];
    // October's last day: 40 a day in October (its own alerts are October's).
    app.clock.current = new Date('2026-10-31T12:00:00.000Z');
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 100_000, categoryLimits: { Food: 50_000 }, thresholds: [50, 100], forecastThresholds: [50, 100] }));
    await app.get(AddExpense).execute(USER, details({ amount: 124_000, category: 'Food', date: '2026-10-20' }));
    // 30 adds of 10 on 10 November, ten from each instance at once.
    for (const each of instances) each.clock.current = new Date('2026-11-10T09:00:00.000Z');
    await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3]!.get(AddExpense).execute(USER, details({ amount: 1_000, category: 'Food', date: '2026-11-10' }))));
    const ids = (await app.get(ListAlerts).execute(USER, '2026-11')).alerts.map((a) => a.id).sort();
    // Spent 300 of 1,000 (Food 300 of 500); forecast 300 + 20 days x 40 = 1,100: every forecast threshold, and Food's 50% spent.
    expect(ids).to.deep.equal(['2026-11_Food_100_forecast', '2026-11_Food_50', '2026-11_Food_50_forecast', '2026-11_total_100_forecast', '2026-11_total_50_forecast']);
    const published = instances.flatMap((each) => each.notifier.published.map((p) => p.alert.id)).filter((id) => id.startsWith('2026-11')).sort();
    expect(published).to.deep.equal(ids);
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).categories.Food).to.deep.include({ spent: 30_000, forecast: 110_000 });
  });

  it('keeps every later month\'s carry exact while backdated edits and current adds race from several instances', async () => {
    const instances = [instance(), instance(), instance()];
    const [app] = instances as [TestApp, TestApp, TestApp];
    for (const each of instances) each.clock.current = new Date('2026-09-02T09:00:00.000Z');
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 100_000, rollover: ['total'], thresholds: [100] }));
    const september = await Promise.all(Array.from({ length: 6 }, () => app.get(AddExpense).execute(USER, details({ amount: 1_000, date: '2026-09-05' }))));
    for (const each of instances) each.clock.current = new Date('2026-11-20T09:00:00.000Z');
    await Promise.all([
      ...september.map((s, i) => instances[i % 3]!.get(UpdateExpense).execute(USER, s.expense.id, details({ amount: 5_000, date: '2026-09-05' }))),
      ...Array.from({ length: 6 }, (_, i) => instances[(i + 1) % 3]!.get(AddExpense).execute(USER, details({ amount: 2_000, date: '2026-11-20' }))),
      ...Array.from({ length: 3 }, (_, i) => instances[(i + 2) % 3]!.get(AddExpense).execute(USER, details({ amount: 3_000, date: '2026-10-20' }))),
    ]);
    // From scratch: September left 1,000 - 300, October 1,000 - 90, so November carries 1,610.
    const november = (await app.get(GetMonthSummary).execute(USER, '2026-11')).budget!;
    expect(november).to.deep.include({ spent: 12_000, carry: 70_000 + 91_000, limit: 261_000 });
    const december = (await app.get(GetMonthSummary).execute(USER, '2026-12')).budget!;
    expect(december).to.deep.include({ carry: 161_000 + 100_000 - 12_000 });
  });
});
