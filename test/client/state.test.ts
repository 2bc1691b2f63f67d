import { expect } from 'chai';
import fc from 'fast-check';
import { percentUsed, reachesThreshold } from '../../src/domain/money.js';
import {
  alertMessage, appendPage, budgetLevel, compareExpenses, removeExpense, spendingByDay, upsertExpense,
} from '../../client/src/state.js';
import type { Alert, Expense } from '../../client/src/types.js';

function expense(id: string, date: string, amount = 10, category: Expense['category'] = 'Food', createdAt = '2026-11-01T10:00:00.000Z'): Expense {
  return { id, date, amount, category, createdAt, updatedAt: createdAt };
}

describe('client state logic', () => {
  it('orders expenses like the API: newest date, then newest created', () => {
    const list = [
      expense('a', '2026-11-01'),
      expense('b', '2026-11-03', 1, 'Food', '2026-11-03T08:00:00.000Z'),
      expense('c', '2026-11-03', 1, 'Food', '2026-11-03T09:00:00.000Z'),
    ].sort(compareExpenses);
    expect(list.map((e) => e.id)).to.deep.equal(['c', 'b', 'a']);
  });

  it('inserts a saved expense in order and replaces an edited one', () => {
    const filter = { month: '2026-11', category: '' as const };
    let list = [expense('a', '2026-11-05'), expense('b', '2026-11-01')];
    list = upsertExpense(list, expense('c', '2026-11-03'), filter, false);
    expect(list.map((e) => e.id)).to.deep.equal(['a', 'c', 'b']);
    list = upsertExpense(list, expense('a', '2026-11-02', 99), filter, false);
    expect(list.map((e) => e.id)).to.deep.equal(['c', 'a', 'b']);
    expect(list[1]!.amount).to.equal(99);
  });

  it('drops an expense that leaves the shown month or category', () => {
    const list = [expense('a', '2026-11-05'), expense('b', '2026-11-01')];
    expect(upsertExpense(list, expense('a', '2026-10-30'), { month: '2026-11', category: '' }, false).map((e) => e.id)).to.deep.equal(['b']);
    expect(upsertExpense(list, expense('c', '2026-11-04', 5, 'Travel'), { month: '2026-11', category: 'Food' }, false)).to.have.length(2);
  });

  it('leaves an expense older than the loaded page to "load more"', () => {
    const list = [expense('a', '2026-11-20'), expense('b', '2026-11-15')];
    expect(upsertExpense(list, expense('c', '2026-11-02'), { month: '2026-11', category: '' }, true)).to.have.length(2);
    expect(upsertExpense(list, expense('d', '2026-11-18'), { month: '2026-11', category: '' }, true)).to.have.length(3);
  });

  it('removes and appends without duplicates', () => {
    const list = [expense('a', '2026-11-05'), expense('b', '2026-11-01')];
    expect(removeExpense(list, 'a').map((e) => e.id)).to.deep.equal(['b']);
    expect(appendPage(list, [expense('b', '2026-11-01'), expense('c', '2026-11-01')]).map((e) => e.id)).to.deep.equal(['a', 'b', 'c']);
  });

  it('sums spending per day of the month in minor units of the currency', () => {
    expect(spendingByDay([expense('a', '2026-11-01', 0.001), expense('b', '2026-11-01', 0.002)], '2026-11', 'KWD')[0]).to.equal(0.003);
    const days = spendingByDay([
      expense('a', '2026-11-01', 0.1), expense('b', '2026-11-01', 0.2), expense('c', '2026-11-30', 5), expense('d', '2026-10-31', 7),
    ], '2026-11', 'USD');
    expect(days).to.have.length(30);
    expect(days[0]).to.equal(0.3);
    expect(days[29]).to.equal(5);
    expect(days.reduce((a, b) => a + b, 0)).to.equal(5.3);
  });

  it('turns amber at the first threshold and red at 100%', () => {
    expect(budgetLevel(79.9, [80, 100])).to.equal('ok');
    expect(budgetLevel(80, [80, 100])).to.equal('warn');
    expect(budgetLevel(100, [80, 100])).to.equal('over');
    expect(budgetLevel(130, [50])).to.equal('over');
    expect(budgetLevel(60, [50, 75])).to.equal('warn');
    expect(budgetLevel(99, [100, 120])).to.equal('ok');
  });

  it('stays amber at 99.995% (spent 99,995 of 100,000 cents), where no 100% alert fires', () => {
    expect(budgetLevel(percentUsed(99_995, 100_000), [80, 100])).to.equal('warn');
    expect(budgetLevel(percentUsed(100_000, 100_000), [80, 100])).to.equal('over');
    expect(budgetLevel(percentUsed(7999, 10_000), [80, 100])).to.equal('ok');
  });

  it('changes level exactly where the server\'s alert rule fires, from the percentage the API sends', () => {
    // Spending within a few cents of 100% or of one of the thresholds.
    const near = fc.tuple(fc.integer({ min: 1, max: 10 ** 11 }), fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 5 }), fc.nat(), fc.integer({ min: -3, max: 3 }))
      .map(([limit, thresholds, pick, cents]) => {
        const percent = [100, ...thresholds][pick % (thresholds.length + 1)]!;
        return { spent: Math.max(0, Math.floor((limit * percent) / 100) + cents), limit, thresholds };
      });
    fc.assert(fc.property(near, ({ spent, limit, thresholds }) => {
      const warnAt = Math.min(...thresholds.filter((t) => t < 100), Infinity);
      const expected = reachesThreshold(spent, limit, 100) ? 'over' : warnAt !== Infinity && reachesThreshold(spent, limit, warnAt) ? 'warn' : 'ok';
      expect(budgetLevel(percentUsed(spent, limit), thresholds)).to.equal(expected);
    }), { seed: 99_995, numRuns: 1000 });
  });

  it('words alerts the way the banner shows them', () => {
    const alert: Alert = { id: 'x', month: '2026-11', scope: 'k3-x_9QbZ0aT', scopeName: 'Pets', threshold: 80, spent: 80, limit: 100, createdAt: '', delivery: 'pending' };
    expect(alertMessage(alert, 'USD', 'en-US')).to.equal('You have used 80% of your Pets budget for November 2026');
    expect(alertMessage({ ...alert, scope: 'total', threshold: 100, spent: 100 }, 'USD', 'en-US')).to.equal('You have used 100% of your monthly budget for November 2026');
    // The audit's case: the banner said "100%" when 106% was used.
    expect(alertMessage({ ...alert, scope: 'total', threshold: 100, spent: 106, limit: 100 }, 'USD', 'en-US'))
      .to.equal('You have used 106% of your monthly budget for November 2026 (the 100% alert)');
    // Exact in cents: 0.1 + 0.2 of 0.3 is 100%, and 99.99 of 100 floors to 99.9%, never rounds up.
    expect(alertMessage({ ...alert, threshold: 100, spent: 0.1 + 0.2, limit: 0.3 }, 'USD', 'en-US')).to.equal('You have used 100% of your Pets budget for November 2026');
    expect(alertMessage({ ...alert, spent: 99.99, limit: 100 }, 'USD', 'en-US')).to.equal('You have used 99.9% of your Pets budget for November 2026 (the 80% alert)');
    expect(alertMessage({ ...alert, kind: 'forecast', threshold: 100, spent: 300, forecast: 540, limit: 500 }, 'USD', 'en-US'))
      .to.equal('At this pace you will spend $540.00 of your $500.00 Pets budget by the end of November 2026 (the 100% forecast alert)');
  });
});
