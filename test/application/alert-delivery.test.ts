import { expect } from 'chai';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { DeliverAlerts, MAX_DELIVERY_ATTEMPTS } from '../../src/application/use-cases/deliver-alerts.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';

const USER = 'u1';

describe('alert delivery (in-memory adapters)', () => {
  let app: TestApp;
  let deliver: DeliverAlerts;

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

    // Still down: the retry changes nothing and sends nothing.
    expect((await deliver.retryPending(USER)).map((a) => a.delivery)).to.deep.equal(['pending']);

    app.notifier.failing = false;
    expect((await deliver.retryPending(USER)).map((a) => a.delivery)).to.deep.equal(['sent']);
    expect(await deliver.retryPending(USER)).to.deep.equal([]);
    expect(app.notifier.published.map((p) => p.alert.id)).to.deep.equal(['2026-11_total_80']);
    expect((await app.get(ListAlerts).execute(USER, '2026-11')).map((a) => a.delivery)).to.deep.equal(['sent']);
  });

  it(`marks an alert failed after ${MAX_DELIVERY_ATTEMPTS} failed attempts and stops retrying it`, async () => {
    app.notifier.failing = true;
    await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) await deliver.retryPending(USER);
    expect((await app.get(ListAlerts).execute(USER, '2026-11'))[0]!.delivery).to.equal('failed');
    app.notifier.failing = false;
    expect(await deliver.retryPending(USER)).to.deep.equal([]);
    expect(app.notifier.published).to.deep.equal([]);
  });

  it('sends an alert once when two deliverers race for it', async () => {
    app.notifier.failing = true;
    const { alerts } = await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    app.notifier.failing = false;
    app.clock.current = new Date(app.clock.current.getTime() + 120_000);
    await Promise.all([deliver.execute(USER, alerts), deliver.execute(USER, alerts), deliver.retryPending(USER)]);
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
