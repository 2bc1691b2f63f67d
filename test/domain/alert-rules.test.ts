import { expect } from 'chai';
import { describeAlert, nameAlerts, raiseAlerts } from '../../src/domain/alert.js';
import { applyExpenseChange, emptyMonth } from '../../src/domain/month-totals.js';
import { summarize } from '../../src/domain/summary.js';
import { alert, budget, expense } from '../support/fixtures.js';

const now = new Date('2026-11-15T10:00:00.000Z');

describe('month totals', () => {
  it('adds, moves and removes expenses exactly, dropping empty categories', () => {
    const a = expense({ amount: 10, category: 'Food' });
    const b = expense({ amount: 20, category: 'Travel' });
    let totals = applyExpenseChange(emptyMonth('2026-11'), null, a);
    totals = applyExpenseChange(totals, null, b);
    expect(totals).to.include({ total: 30, count: 2 });
    expect(totals.byCategory).to.deep.equal({ Food: 10, Travel: 20 });
    totals = applyExpenseChange(totals, a, { ...a, amount: 15, category: 'Travel' });
    expect(totals.byCategory).to.deep.equal({ Travel: 35 });
    totals = applyExpenseChange(applyExpenseChange(totals, b, null), { ...a, amount: 15, category: 'Travel' }, null);
    expect(totals).to.deep.equal(emptyMonth('2026-11'));
  });

  it('keeps what each day spent, moving an expense between days and dropping empty days', () => {
    const a = expense({ amount: 10, date: '2026-11-03' });
    const b = expense({ amount: 20, date: '2026-11-03' });
    let totals = applyExpenseChange(applyExpenseChange(emptyMonth('2026-11'), null, a), null, b);
    expect(totals.byDay).to.deep.equal({ '03': 30 });
    totals = applyExpenseChange(totals, a, { ...a, date: '2026-11-30' });
    expect(totals.byDay).to.deep.equal({ '03': 20, 30: 10 });
    totals = applyExpenseChange(totals, b, null);
    expect(totals.byDay).to.deep.equal({ 30: 10 });
  });

  it('leaves unknown days (a month written before they were kept) unknown until the month is empty again', () => {
    const a = expense({ amount: 10, date: '2026-11-03' });
    const legacy = { ...emptyMonth('2026-11'), total: 10, count: 1, byCategory: { [a.category]: 10 }, countByCategory: { [a.category]: 1 }, byDay: null };
    const added = applyExpenseChange(legacy, null, { ...a, id: 'other' });
    expect(added.byDay).to.equal(null);
    const emptied = applyExpenseChange(applyExpenseChange(added, a, null), { ...a, id: 'other' }, null);
    expect(emptied.byDay).to.deep.equal({});
  });
});

describe('alert rule', () => {
  const limits = budget({ monthlyLimit: 10000, categoryLimits: { Food: 2000 }, thresholds: [80, 100] });

  it('raises nothing without limits', () => {
    expect(raiseAlerts({ ...emptyMonth('2026-11'), total: 10 ** 9 }, budget(), {}, now).alerts).to.deep.equal([]);
  });

  it('raises one alert per threshold reached, for the total and each limited category', () => {
    const totals = { ...emptyMonth('2026-11'), total: 8000, count: 2, byCategory: { Food: 2500, Travel: 5500 } };
    const { alerts, totals: after } = raiseAlerts(totals, limits, {}, now);
    expect(alerts.map((a) => a.id)).to.deep.equal(['2026-11_total_80', '2026-11_Food_80', '2026-11_Food_100']);
    expect(alerts[0]).to.deep.equal({ id: '2026-11_total_80', kind: 'actual', month: '2026-11', scope: 'total', scopeName: 'Total', threshold: 80, spent: 8000, forecast: null, limit: 10000, createdAt: now.toISOString(), delivery: 'pending' });
    expect(after.alerted).to.have.members(['total#80', 'Food#80', 'Food#100']);
  });

  it('never raises an alert already raised this month, even after spending dropped and rose again', () => {
    const first = raiseAlerts({ ...emptyMonth('2026-11'), total: 8000 }, limits, {}, now);
    const dropped = { ...first.totals, total: 100 };
    expect(raiseAlerts(dropped, limits, {}, now).alerts).to.deep.equal([]);
    const rose = raiseAlerts({ ...dropped, total: 9000 }, limits, {}, now);
    expect(rose.alerts).to.deep.equal([]);
    expect(raiseAlerts({ ...dropped, total: 10000 }, limits, {}, now).alerts.map((a) => a.threshold)).to.deep.equal([100]);
  });

  it('raises no 100% alert at 99.995%, which the summary shows as 99.9%', () => {
    const month = { ...emptyMonth('2026-11'), total: 99_995, count: 1, byCategory: { Food: 99_995 } };
    const limit = budget({ monthlyLimit: 100_000, thresholds: [80, 100] });
    expect(raiseAlerts(month, limit, {}, now).alerts.map((a) => a.threshold)).to.deep.equal([80]);
    expect(summarize(month, limit, {}).budget!.percentUsed).to.equal(99.9);
    expect(raiseAlerts({ ...month, total: 100_000 }, limit, {}, now).alerts.map((a) => a.threshold)).to.deep.equal([80, 100]);
    expect(summarize({ ...month, total: 100_000 }, limit, {}).budget!.percentUsed).to.equal(100);
  });

  it('describes an alert with spent, limit, percentage, month and scope', () => {
    const { subject, body } = describeAlert(alert({ scope: 'Food', threshold: 80, spent: 4050, limit: 5000 }), 'EUR');
    expect(subject).to.equal('Budget alert: 80% of your Food budget used (November 2026)');
    expect(body).to.contain('You have used 81% of your Food budget for November 2026.');
    expect(body).to.contain('Spent: €40.50');
    expect(body).to.contain('Limit: €50.00');
    expect(body).to.contain('Month: 2026-11');
    expect(body).to.contain('category Food');
  });

  it('names a category alert by the name it had when raised, and a later rename by name only', () => {
    const [pets] = nameAlerts([alert({ scope: 'k3-x_9QbZ0aT', threshold: 80 })], new Map([['k3-x_9QbZ0aT', 'Pets']]));
    expect(pets!.scopeName).to.equal('Pets');
    const { subject, body } = describeAlert(pets!, 'USD');
    expect(subject).to.equal('Budget alert: 80% of your Pets budget used (November 2026)');
    expect(body).to.contain('category Pets').and.not.contain('k3-x_9QbZ0aT');
    // The monthly total keeps its own name; an id the map does not know keeps the name it had.
    expect(nameAlerts([alert({ scope: 'total' }), pets!], new Map([['Food', 'Groceries']])).map((a) => a.scopeName)).to.deep.equal(['Total', 'Pets']);
  });

  it('writes amounts in an alert email with the currency\'s own decimals', () => {
    expect(describeAlert(alert({ spent: 1200, limit: 1500 }), 'JPY').body).to.contain('Spent: ¥1,200').and.contain('Limit: ¥1,500');
    expect(describeAlert(alert({ spent: 1250, limit: 1500 }), 'KWD').body).to.contain('Spent: KWD 1.250').and.contain('Limit: KWD 1.500');
  });
});

describe('summary', () => {
  it('shows use of each limit, including overspending', () => {
    const totals = { ...emptyMonth('2026-11'), total: 12345, count: 3, byCategory: { Food: 2345, Travel: 10000 } };
    const summary = summarize(totals, budget({ currency: 'EUR', monthlyLimit: 10000, categoryLimits: { Food: 3000, Health: 500 } }), {});
    expect(summary.budget).to.deep.equal({ limit: 10000, baseLimit: 10000, carry: 0, spent: 12345, remaining: -2345, percentUsed: 123.4, forecast: null });
    expect(summary.categories).to.deep.equal({
      Food: { limit: 3000, baseLimit: 3000, carry: 0, spent: 2345, remaining: 655, percentUsed: 78.1, forecast: null },
      Health: { limit: 500, baseLimit: 500, carry: 0, spent: 0, remaining: 500, percentUsed: 0, forecast: null },
    });
    expect(summary.currency).to.equal('EUR');
  });

  it('has no budget block when there is no monthly limit', () => {
    expect(summarize(emptyMonth('2026-11'), budget(), {}).budget).to.equal(null);
  });
});
