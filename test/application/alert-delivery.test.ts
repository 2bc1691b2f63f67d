import { expect } from 'chai';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { DeliverAlerts, MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '../../src/application/use-cases/deliver-alerts.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { testApp, type TestApp } from '../support/app.js';
import { ResendAlertEmailConfirmation } from '../../src/application/use-cases/resend-alert-email-confirmation.js';
import { UnsubscribeStaleAddresses } from '../../src/application/use-cases/unsubscribe-stale-addresses.js';
import { MAX_ALERT_EMAIL_REQUESTS_PER_DAY } from '../../src/domain/alert-email.js';
import { AlertEmailTakenError, RateLimitedError, ValidationError } from '../../src/domain/errors.js';
import { expectRejection } from '../contract/ledger-repository.contract.js';
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
    await app.get(SetBudget).execute('u2', budget({ monthlyLimit: 100, thresholds: [50], alertEmail: 'u2@example.com' }));
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
    expect(((await app.get(ListAlerts).execute(USER, '2026-11')).alerts).map((a) => a.delivery)).to.deep.equal(['sent']);
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
    expect(((await app.get(ListAlerts).execute(USER, '2026-11')).alerts)[0]!.delivery).to.equal('failed');
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
    expect(app.notifier.subscriptions.map((s) => s.email)).to.deep.equal(['new@example.com']);
    expect(Object.fromEntries(app.notifier.confirmationsSent)).to.deep.equal({ 'owner@example.com': 1, 'me@example.com': 1, 'new@example.com': 1 });
  });

  it('stops sending to the old address when the address changes, even while SNS cannot unsubscribe it', async () => {
    const setBudget = app.get(SetBudget);
    await setBudget.execute(USER, budget({ monthlyLimit: 10000, alertEmail: 'old@example.com' }));
    const old = app.notifier.subscriptions.find((s) => s.email === 'old@example.com')!;
    const unsubscribe = app.notifier.unsubscribe.bind(app.notifier);
    app.notifier.unsubscribe = async () => { throw new Error('SNS down'); };
    await setBudget.execute(USER, budget({ monthlyLimit: 10000, alertEmail: 'new@example.com' }));
    expect(app.notifier.subscriptions.map((s) => s.email)).to.have.members(['old@example.com', 'new@example.com']);
    await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    expect(app.notifier.published.map((p) => p.deliveredTo)).to.deep.equal([['new@example.com']]);
    // Recorded as stale in the same write: the retry pass unsubscribes it once SNS is back.
    expect((await app.ledger.getBudget(USER)).record.staleSubscriptions).to.deep.equal({ [old.subscriptionArn]: 'old@example.com' });
    // The failed attempt right after the change postponed the next one by 10 minutes.
    app.notifier.unsubscribe = unsubscribe;
    advance(9 * 60_000);
    expect(await app.get(UnsubscribeStaleAddresses).retryDue()).to.equal(0);
    advance(60_000);
    expect(await app.get(UnsubscribeStaleAddresses).retryDue()).to.equal(1);
    expect(app.notifier.subscriptions.map((s) => s.email)).to.deep.equal(['new@example.com']);
    expect((await app.ledger.getBudget(USER)).record.staleSubscriptions).to.deep.equal({});
  });

  it('with no address, unsubscribes the old one and records alerts as not emailed', async () => {
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 10000, alertEmail: null }));
    expect(app.notifier.subscriptions).to.deep.equal([]);
    const { alerts } = await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    expect(alerts.map((a) => a.delivery)).to.deep.equal(['no_email']);
    expect(app.notifier.published).to.deep.equal([]);
    advance(24 * 3600_000);
    expect(await deliver.retryDue()).to.deep.equal([]);
    expect(((await app.get(ListAlerts).execute(USER, '2026-11')).alerts).map((a) => a.delivery)).to.deep.equal(['no_email']);
  });

  it('records a pending alert as not emailed when the address was cleared before it could be sent', async () => {
    app.notifier.failing = true;
    await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    app.notifier.failing = false;
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 10000, alertEmail: null }));
    advance(30_000);
    expect((await deliver.retryDue()).map((a) => a.delivery)).to.deep.equal(['no_email']);
    expect(app.notifier.published).to.deep.equal([]);
  });

  it(`allows ${MAX_ALERT_EMAIL_REQUESTS_PER_DAY} address changes a day, then answers with the wait and saves nothing`, async () => {
    const setBudget = app.get(SetBudget);
    // The beforeEach set one address already.
    for (let i = 1; i < MAX_ALERT_EMAIL_REQUESTS_PER_DAY; i++) {
      advance(60_000);
      await setBudget.execute(USER, budget({ alertEmail: `me${i}@example.com` }));
    }
    advance(60_000);
    const error = await expectRejection(setBudget.execute(USER, budget({ alertEmail: 'six@example.com', monthlyLimit: 1 })), RateLimitedError) as RateLimitedError;
    expect(error.retryAfterSeconds).to.equal(24 * 3600 - 5 * 60);
    expect((await app.ledger.getBudget(USER)).record.budget.alertEmail).to.equal(`me${MAX_ALERT_EMAIL_REQUESTS_PER_DAY - 1}@example.com`);
    expect(app.notifier.confirmationsSent.has('six@example.com')).to.equal(false);
    // Clearing the address sends no email, so it is always allowed; a day later changes are allowed again.
    await setBudget.execute(USER, budget({ alertEmail: null }));
    advance(error.retryAfterSeconds * 1000);
    await setBudget.execute(USER, budget({ alertEmail: 'six@example.com' }));
  });

  it('refuses an address another account uses, saving nothing', async () => {
    await app.get(SetBudget).execute('u2', budget({ alertEmail: 'family@example.com' }));
    await expectRejection(app.get(SetBudget).execute(USER, budget({ alertEmail: 'family@example.com', monthlyLimit: 1 })), AlertEmailTakenError);
    expect((await app.ledger.getBudget(USER)).record.budget).to.deep.equal(budget({ monthlyLimit: 10000, thresholds: [80, 100] }));
  });

  it('subscribes afresh an address the user comes back to, and never unsubscribes the new subscription', async () => {
    const setBudget = app.get(SetBudget);
    const first = app.notifier.subscriptions[0]!;
    const unsubscribe = app.notifier.unsubscribe.bind(app.notifier);
    app.notifier.unsubscribe = async () => { throw new Error('SNS down'); };
    await setBudget.execute(USER, budget({ alertEmail: 'other@example.com' }));
    app.notifier.unsubscribe = unsubscribe;
    await setBudget.execute(USER, budget({ alertEmail: 'owner@example.com' }));
    const current = (await app.ledger.getBudget(USER)).record.subscription!;
    expect(current.subscriptionArn).to.not.equal(first.subscriptionArn);
    advance(3600_000);
    await app.get(UnsubscribeStaleAddresses).retryDue();
    expect(app.notifier.subscriptions.map((s) => s.subscriptionArn)).to.deep.equal([current.subscriptionArn]);
  });

  it('sends the confirmation again on request, within the same daily limit', async () => {
    const resend = app.get(ResendAlertEmailConfirmation);
    expect(await resend.execute(USER)).to.deep.equal({ alertEmail: 'owner@example.com' });
    expect(app.notifier.confirmationsSent.get('owner@example.com')).to.equal(2);
    for (let i = 2; i < MAX_ALERT_EMAIL_REQUESTS_PER_DAY; i++) await resend.execute(USER);
    await expectRejection(resend.execute(USER), RateLimitedError);
    expect(app.notifier.confirmationsSent.get('owner@example.com')).to.equal(MAX_ALERT_EMAIL_REQUESTS_PER_DAY);
    await app.get(SetBudget).execute('u3', budget({ alertEmail: null }));
    await expectRejection(resend.execute('u3'), ValidationError);
  });

  it('saves nothing when the email subscription fails', async () => {
    app.notifier.failing = true;
    try {
      await app.get(SetBudget).execute(USER, budget({ alertEmail: 'me@example.com', monthlyLimit: 1 }));
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).message).to.equal('notifier unavailable');
    }
    expect((await app.ledger.getBudget(USER)).record.budget).to.deep.equal(budget({ monthlyLimit: 10000, thresholds: [80, 100] }));
  });

  it('answers a committed write normally when claiming its alert fails, and the retry pass sends it', async () => {
    const claim = app.ledger.claimAlertDelivery.bind(app.ledger);
    app.ledger.claimAlertDelivery = async () => { throw new Error('DynamoDB timed out'); };
    const { expense, alerts } = await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    expect(alerts.map((a) => a.delivery)).to.deep.equal(['pending']);
    expect(await app.ledger.getExpense(USER, expense.id)).to.deep.equal(expense);
    expect(app.logger.lines.map((l) => l.message)).to.include('alert delivery deferred');
    app.ledger.claimAlertDelivery = claim;
    expect((await deliver.retryDue()).map((a) => a.delivery)).to.deep.equal(['sent']);
    expect(app.notifier.published).to.have.length(1);
  });

  it('retries recording the outcome after a publish, so the email is not sent again', async () => {
    const settle = app.ledger.settleAlertDelivery.bind(app.ledger);
    let failures = 2;
    app.ledger.settleAlertDelivery = async (...args) => {
      if (failures-- > 0) throw new Error('DynamoDB timed out');
      return settle(...args);
    };
    const { alerts } = await app.get(AddExpense).execute(USER, details({ amount: 8000 }));
    expect(alerts.map((a) => a.delivery)).to.deep.equal(['sent']);
    advance(3600_000);
    expect(await deliver.retryDue()).to.deep.equal([]);
    expect(app.notifier.published).to.have.length(1);
  });
});
