import { expect } from 'chai';
import { TOKENS } from '../../src/application/ports.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { DeleteExpense } from '../../src/application/use-cases/delete-expense.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { UpdateExpense } from '../../src/application/use-cases/update-expense.js';
import { CurrencyInUseError, IdempotencyKeyReusedError, NotFoundError, RateLimitedError } from '../../src/domain/errors.js';
import { expectRejection } from '../contract/ledger-repository.contract.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';

const USER = 'u1';

describe('expense use cases (in-memory adapters)', () => {
  let app: TestApp;
  let add: AddExpense;
  let update: UpdateExpense;
  let remove: DeleteExpense;
  let summary: GetMonthSummary;
  let alerts: ListAlerts;
  let setBudget: SetBudget;

  beforeEach(() => {
    app = testApp();
    add = app.get(AddExpense);
    update = app.get(UpdateExpense);
    remove = app.get(DeleteExpense);
    summary = app.get(GetMonthSummary);
    alerts = app.get(ListAlerts);
    setBudget = app.get(SetBudget);
  });

  describe('monthly totals', () => {
    it('sums 0.10 and 0.20 to exactly 0.30', async () => {
      await add.execute(USER, details({ amount: 10 }));
      await add.execute(USER, details({ amount: 20 }));
      expect((await summary.execute(USER, '2026-11')).total).to.equal(30);
    });

    it('keeps totals per month and category through add, update and delete', async () => {
      const { expense: a } = await add.execute(USER, details({ amount: 1000, category: 'Food', date: '2026-11-02' }));
      const { expense: b } = await add.execute(USER, details({ amount: 2500, category: 'Travel', date: '2026-11-20' }));
      await add.execute(USER, details({ amount: 700, category: 'Food', date: '2026-12-01' }));
      let november = await summary.execute(USER, '2026-11');
      expect(november).to.include({ total: 3500, count: 2 });
      expect(november.byCategory).to.deep.equal({ Food: 1000, Travel: 2500 });

      // Moving an expense to December moves its amount with it.
      await update.execute(USER, b.id, details({ amount: 2600, category: 'Travel', date: '2026-12-24' }));
      november = await summary.execute(USER, '2026-11');
      const december = await summary.execute(USER, '2026-12');
      expect(november).to.include({ total: 1000, count: 1 });
      expect(november.byCategory).to.deep.equal({ Food: 1000 });
      expect(december).to.include({ total: 3300, count: 2 });
      expect(december.byCategory).to.deep.equal({ Food: 700, Travel: 2600 });

      await remove.execute(USER, a.id);
      expect(await summary.execute(USER, '2026-11')).to.include({ total: 0, count: 0 });
      expect((await summary.execute(USER, '2026-11')).byCategory).to.deep.equal({});
    });

    it('replaces every input field on update, dropping a description that is left out', async () => {
      const { expense } = await add.execute(USER, details({ description: 'old note' }));
      app.clock.current = new Date('2026-11-16T00:00:00.000Z');
      const { expense: updated } = await update.execute(USER, expense.id, details({ amount: 1, category: 'Other' }));
      expect(updated).to.deep.equal({ amount: 1, category: 'Other', date: '2026-11-10', id: expense.id, createdAt: expense.createdAt, updatedAt: '2026-11-16T00:00:00.000Z' });
    });

    it('answers NotFound for an unknown expense and changes nothing', async () => {
      await expectRejection(update.execute(USER, 'nope', details()), NotFoundError);
      await expectRejection(remove.execute(USER, 'nope'), NotFoundError);
      expect((await summary.execute(USER, '2026-11')).count).to.equal(0);
    });

    it('keeps totals exact under 50 concurrent adds', async () => {
      const amounts = Array.from({ length: 50 }, (_, i) => 1 + ((i * 7919) % 100000));
      await Promise.all(amounts.map((amount) => add.execute(USER, details({ amount }))));
      const result = await summary.execute(USER, '2026-11');
      expect(result.total).to.equal(amounts.reduce((a, b) => a + b, 0));
      expect(result.count).to.equal(50);
    });
  });

  describe('threshold alerts', () => {
    beforeEach(async () => {
      await setBudget.execute(USER, budget({ monthlyLimit: 10000, categoryLimits: { Food: 5000 }, thresholds: [80, 100] }));
    });

    it('alerts once when spending crosses a threshold, and returns the alert with the write', async () => {
      expect((await add.execute(USER, details({ amount: 3000, category: 'Travel' }))).alerts).to.deep.equal([]);
      const crossing = await add.execute(USER, details({ amount: 5000, category: 'Travel' }));
      expect(crossing.alerts.map((a) => [a.scope, a.threshold, a.spent, a.limit, a.delivery])).to.deep.equal([['total', 80, 8000, 10000, 'sent']]);
      expect((await add.execute(USER, details({ amount: 100, category: 'Travel' }))).alerts).to.deep.equal([]);
      expect(app.notifier.published.map((p) => p.alert.id)).to.deep.equal(['2026-11_total_80']);
    });

    it('raises every threshold one write crosses, total and category', async () => {
      const { alerts: raised } = await add.execute(USER, details({ amount: 10000, category: 'Food' }));
      expect(raised.map((a) => a.id)).to.deep.equal(['2026-11_total_80', '2026-11_total_100', '2026-11_Food_80', '2026-11_Food_100']);
    });

    it('does not alert twice when spending drops and rises again', async () => {
      const { expense } = await add.execute(USER, details({ amount: 8500, category: 'Travel' }));
      await remove.execute(USER, expense.id);
      const again = await add.execute(USER, details({ amount: 8500, category: 'Travel' }));
      expect(again.alerts).to.deep.equal([]);
      expect(((await alerts.execute(USER, '2026-11')).alerts).map((a) => a.id)).to.deep.equal(['2026-11_total_80']);
    });

    it('alerts when an update raises spending, in the month the expense moved to', async () => {
      const { expense } = await add.execute(USER, details({ amount: 100, category: 'Food', date: '2026-10-05' }));
      const { alerts: raised } = await update.execute(USER, expense.id, details({ amount: 4000, category: 'Food', date: '2026-11-05' }));
      expect(raised.map((a) => a.id)).to.deep.equal(['2026-11_Food_80']);
    });

    it('alerts on a budget change that puts this month over a threshold', async () => {
      await add.execute(USER, details({ amount: 3000, category: 'Travel', date: '2026-11-03' }));
      await setBudget.execute(USER, budget({ monthlyLimit: 3000, thresholds: [50, 100] }));
      expect(((await alerts.execute(USER, '2026-11')).alerts).map((a) => [a.threshold, a.delivery])).to.deep.equal([[50, 'sent'], [100, 'sent']]);
      // Budget changes apply to the current month only (the clock says November 2026).
      await add.execute(USER, details({ amount: 3000, category: 'Travel', date: '2026-10-03' }));
      await setBudget.execute(USER, budget({ monthlyLimit: 1000, thresholds: [10] }));
      expect(((await alerts.execute(USER, '2026-10')).alerts).map((a) => a.threshold)).to.deep.equal([50, 100]);
    });

    it('evaluates a budget change against this month in the user\'s time zone, at the edges of a month', async () => {
      const TZ_USER = 'tz-user'; // no budget yet
      // 23:30 UTC on 30 November: already 1 December in Tokyo, still 30 November in Los Angeles.
      app.clock.current = new Date('2026-11-30T23:30:00.000Z');
      await add.execute(TZ_USER, details({ amount: 9000, date: '2026-12-01' }));
      await add.execute(TZ_USER, details({ amount: 500, date: '2026-11-30' }));
      await setBudget.execute(TZ_USER, budget({ monthlyLimit: 10_000, thresholds: [80], timeZone: 'America/Los_Angeles', alertEmail: 'tz@example.com' }));
      expect((await alerts.execute(TZ_USER, '2026-12')).alerts, 'December is not yet this month in Los Angeles').to.deep.equal([]);
      await setBudget.execute(TZ_USER, budget({ monthlyLimit: 10_000, thresholds: [80], timeZone: 'UTC', alertEmail: 'tz@example.com' }));
      expect((await alerts.execute(TZ_USER, '2026-12')).alerts, 'nor in UTC').to.deep.equal([]);
      await setBudget.execute(TZ_USER, budget({ monthlyLimit: 10_000, thresholds: [80], timeZone: 'Asia/Tokyo', alertEmail: 'tz@example.com' }));
      expect(((await alerts.execute(TZ_USER, '2026-12')).alerts).map((a) => a.id), 'December has begun in Tokyo').to.deep.equal(['2026-12_total_80']);
      expect((await alerts.execute(TZ_USER, '2026-11')).alerts).to.deep.equal([]);
    });

    it('raises exactly one alert when two concurrent writes from two instances both cross a threshold', async () => {
      await add.execute(USER, details({ amount: 7000, category: 'Travel' }));
      // A second API instance on the same storage: its writes race ours instead of queueing behind them.
      const other = testApp();
      other.container.rebind(TOKENS.LedgerRepository).toConstantValue(app.ledger);
      other.container.rebind(TOKENS.Notifier).toConstantValue(app.notifier);
      const results = await Promise.all([
        add.execute(USER, details({ amount: 1500, category: 'Travel' })),
        other.get(AddExpense).execute(USER, details({ amount: 1500, category: 'Travel' })),
      ]);
      expect(results.flatMap((r) => r.alerts.map((a) => a.id)).sort()).to.deep.equal(['2026-11_total_100', '2026-11_total_80']);
      expect(app.notifier.published).to.have.length(2);
    });
  });

  describe('idempotency', () => {
    it('returns the first result again for the same key and body, creating nothing', async () => {
      const first = await add.execute(USER, details({ amount: 123 }), 'key-1');
      const again = await add.execute(USER, details({ amount: 123 }), 'key-1');
      expect(again).to.deep.equal(first);
      expect((await summary.execute(USER, '2026-11')).count).to.equal(1);
    });

    it('rejects the same key with a different body and creates nothing', async () => {
      await add.execute(USER, details({ amount: 123 }), 'key-1');
      await expectRejection(add.execute(USER, details({ amount: 124 }), 'key-1'), IdempotencyKeyReusedError);
      expect((await summary.execute(USER, '2026-11')).count).to.equal(1);
    });

    it('creates one expense when the same request races itself', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => add.execute(USER, details({ amount: 5 }), 'race')));
      expect(new Set(results.map((r) => r.expense.id)).size).to.equal(1);
      expect((await summary.execute(USER, '2026-11')).count).to.equal(1);
    });

    it('scopes keys to the user', async () => {
      await add.execute(USER, details({ amount: 1 }), 'shared');
      await add.execute('u2', details({ amount: 2 }), 'shared');
      expect((await summary.execute('u2', '2026-11')).total).to.equal(2);
    });
  });

  describe('currency', () => {
    it('changes freely before the first expense, is refused with CURRENCY_IN_USE while expenses exist, and is free again once none is left', async () => {
      await setBudget.execute(USER, budget({ currency: 'EUR' }));
      await setBudget.execute(USER, budget({ currency: 'JPY' }));
      const { expense } = await add.execute(USER, details());
      const refused = await expectRejection(setBudget.execute(USER, budget({ currency: 'USD', monthlyLimit: 5 })), CurrencyInUseError);
      expect(refused.message).to.contain('every stored amount is in JPY');
      expect((await app.ledger.getBudget(USER)).record.budget).to.include({ currency: 'JPY', monthlyLimit: null });
      await setBudget.execute(USER, budget({ currency: 'JPY', monthlyLimit: 5 }));
      await remove.execute(USER, expense.id);
      await setBudget.execute(USER, budget({ currency: 'USD' }));
      expect((await app.ledger.getBudget(USER)).record.budget.currency).to.equal('USD');
    });
  });

  describe('per-user write rate', () => {
    beforeEach(() => {
      app = testApp({ writeRateLimit: { burst: 4, refillPerSecond: 0.5 } });
      ({ add, update, remove, summary, setBudget } = { add: app.get(AddExpense), update: app.get(UpdateExpense), remove: app.get(DeleteExpense), summary: app.get(GetMonthSummary), setBudget: app.get(SetBudget) });
    });

    it('counts adds, updates, deletes and budget changes in every month against one bucket, then refuses with Retry-After and writes nothing', async () => {
      const first = (await add.execute(USER, details({ amount: 100, date: '2026-11-01' }))).expense;
      await update.execute(USER, first.id, details({ amount: 200, date: '2025-01-31' }));
      await setBudget.execute(USER, budget({ monthlyLimit: 100_000, alertEmail: null }));
      await remove.execute(USER, first.id);
      const refused = await expectRejection(add.execute(USER, details({ amount: 300, date: '2024-06-01' })), RateLimitedError) as RateLimitedError;
      expect(refused.retryAfterSeconds).to.equal(2);
      await expectRejection(setBudget.execute(USER, budget({ monthlyLimit: 1 })), RateLimitedError);
      expect((await summary.execute(USER, '2024-06')).count, 'nothing written').to.equal(0);
      expect((await app.ledger.getBudget(USER)).record.budget.monthlyLimit).to.equal(100_000);
      expect(app.notifier.confirmationsSent.size, 'a refused budget change sends no confirmation email').to.equal(0);
      app.clock.current = new Date(app.clock.current.getTime() + 2000);
      await add.execute(USER, details({ amount: 300, date: '2024-06-01' }));
      expect((await summary.execute(USER, '2024-06')).total).to.equal(300);
    });

    it('keeps one bucket per user', async () => {
      for (let i = 0; i < 4; i++) await add.execute(USER, details());
      await expectRejection(add.execute(USER, details()), RateLimitedError);
      await add.execute('u2', details());
    });
  });
});
