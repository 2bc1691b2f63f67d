import { expect } from 'chai';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { DeliverAlerts, MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '../../src/application/use-cases/deliver-alerts.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';

const USER = 'u1';

describe('alert delivery (in-memory adapters)', () => {
  let app: TestApp;
  let deliver: DeliverAlerts;

  const advance = (ms: number) => { app.clock.current = new Date(app.clock.current.getTime() + ms); };

  it('waits 30 s after the first failure, doubling up to 2 hours', () => {
    expect([1, 2, 3, 4, 9, 10, 20].map(retryDelayMs)).to.deep.equal([30_000, 60_000, 120_000, 240_000, 7_200_000, 7_200_000, 7_200_000]);
  });

  it('retries the due alerts of every user, not only one', async () => {
    await app.get(SetBudget).execute('u2', budget({ monthlyLimit: 100, thresholds: [50] }));
    app.notifier.failing = true;
    await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    await app.get(AddExpense).execute('u2', details({ amount: 60 }));
    app.notifier.failing = false;
    advance(30_000);
    expect((await deliver.retryDue()).map((a) => [a.id, a.delivery])).to.have.deep.members([['2026-11_total_80', 'sent'], ['2026-11_total_50', 'sent']]);
    expect(app.notifier.published.map((p) => p.userId).sort()).to.deep.equal([USER, 'u2']);
  });

  beforeEach(async () => {
    app = testApp();
    deliver = app.get(DeliverAlerts);
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 10000, thresholds: [80, 100] }));
  });

  it('keeps the expense and leaves the alert pending when publishing fails, then delivers it once on retry', async () => {
    app.notifier.failing = true;
    const result = await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    expect(result.alerts.map((a) => a.delivery)).to.deep.equal(['pending']);
    expect((await app.get(GetMonthSummary).execute(USER, '2026-11')).total).to.equal(8000);
    expect(app.logger.lines.some((l) => l.level === 'error' && l.message === 'alert delivery failed')).to.equal(true);

    // The next attempt is not due yet: the retry pass leaves it alone.
    expect(await deliver.retryDue()).to.deep.equal([]);
    // Due after 30 s, still down: pending again, the wait doubles.
    advance(30_000);
    expect((await deliver.retryDue()).map((a) => a.delivery)).to.deep.equal(['pending']);
    advance(59_000);
    expect(await deliver.retryDue()).to.deep.equal([]);

    app.notifier.failing = false;
    advance(1_000);
    expect((await deliver.retryDue()).map((a) => a.delivery)).to.deep.equal(['sent']);
    advance(3_600_000);
    expect(await deliver.retryDue()).to.deep.equal([]);
    expect(app.notifier.published.map((p) => p.alert.id)).to.deep.equal(['2026-11_total_80']);
    expect((await app.get(ListAlerts).execute(USER, '2026-11')).map((a) => a.delivery)).to.deep.equal(['sent']);
  });

  it(`marks an alert failed after ${MAX_DELIVERY_ATTEMPTS} failed attempts and stops retrying it`, async () => {
    app.notifier.failing = true;
    await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    let waited = 0;
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      advance(retryDelayMs(attempt));
      waited += retryDelayMs(attempt);
      expect(await deliver.retryDue()).to.have.length(1);
    }
    expect((await app.get(ListAlerts).execute(USER, '2026-11'))[0]!.delivery).to.equal('failed');
    // An outage shorter than the whole backoff (about 4 hours) loses nothing.
    expect(waited).to.be.within(4 * 3600_000, 5 * 3600_000);
    app.notifier.failing = false;
    advance(24 * 3600_000);
    expect(await deliver.retryDue()).to.deep.equal([]);
    expect(app.notifier.published).to.deep.equal([]);
  });

  it('sends an alert once when two deliverers race for it', async () => {
    app.notifier.failing = true;
    const { alerts } = await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    app.notifier.failing = false;
    app.clock.current = new Date(app.clock.current.getTime() + 120_000);
    await Promise.all([deliver.execute(USER, alerts), deliver.execute(USER, alerts), deliver.retryDue()]);
    expect(app.notifier.published).to.have.length(1);
  });

  it('publishes in the budget currency with the alert details', async () => {
    await app.get(SetBudget).execute(USER, budget({ currency: 'EUR', monthlyLimit: 10000, thresholds: [50] }));
    await app.get(AddExpense).execute(USER, details({ amount: 5000 }));
    expect(app.notifier.published).to.have.length(1);
    expect(app.notifier.published[0]).to.deep.include({ userId: USER, currency: 'EUR' });
    expect(app.notifier.published[0]!.alert).to.include({ scope: 'total', threshold: 50, spent: 5000, limit: 10000 });
  });

  it('subscribes the alert email when it is set or changed, and not again when it stays the same', async () => {
    const setBudget = app.get(SetBudget);
    await setBudget.execute(USER, budget({ alertEmail: 'me@example.com' }));
    await setBudget.execute(USER, budget({ alertEmail: 'me@example.com', monthlyLimit: 5 }));
    await setBudget.execute(USER, budget({ alertEmail: 'new@example.com' }));
    expect(app.notifier.subscriptions).to.deep.equal([{ userId: USER, email: 'me@example.com' }, { userId: USER, email: 'new@example.com' }]);
  });

  it('saves nothing when the email subscription fails', async () => {
    app.notifier.failing = true;
    try {
      await app.get(SetBudget).execute(USER, budget({ alertEmail: 'me@example.com', monthlyLimit: 1 }));
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).message).to.equal('notifier unavailable');
    }
    expect(await app.ledger.getBudget(USER)).to.deep.equal({ currency: 'USD', monthlyLimit: 10000, categoryLimits: {}, thresholds: [80, 100], alertEmail: null });
  });
});
