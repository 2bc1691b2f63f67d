import { expect } from 'chai';
import { updateCarryPlans } from '../../src/domain/carry.js';
import { emptyMonth, type MonthTotals } from '../../src/domain/month-totals.js';
import { percentChange } from '../../src/domain/money.js';
import { trendsOf } from '../../src/domain/trends.js';
import { budget } from '../support/fixtures.js';

const month = (name: string, food: number, carrySpent: Record<string, number> = {}): MonthTotals =>
  ({ ...emptyMonth(name), total: food, count: 1, byCategory: { Food: food }, countByCategory: { Food: 1 }, carrySpent });

describe('trends', () => {
  it('gives twelve months oldest first, months never written as zero, the change against the month before and the limit that applied', () => {
    const limits = budget({ monthlyLimit: 10_000, categoryLimits: { Food: 5_000 }, rollover: ['Food'] });
    const plans = updateCarryPlans({}, limits, '2026-09');
    // September and November written; October never; August before the window is not the month before January.
    const months = trendsOf('2026-12', [month('2026-09', 4_000), month('2026-11', 9_000, { Food: 4_000 })], month('2025-08', 7_000), limits, plans);
    expect(months.map((m) => m.month)).to.deep.equal(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(months[0]).to.deep.include({ total: 0, change: { amount: 0, percent: null } });
    const [september, october, november, december] = months.slice(8);
    expect(september).to.deep.include({ total: 4_000, limit: 10_000, categoryLimits: { Food: 5_000 }, change: { amount: 4_000, percent: null } });
    // October spent nothing: it carried September's 10 in, and carries its whole 50 on.
    expect(october).to.deep.include({ total: 0, categoryLimits: { Food: 6_000 }, change: { amount: -4_000, percent: -100 } });
    expect(november).to.deep.include({ total: 9_000, categoryLimits: { Food: 11_000 }, change: { amount: 9_000, percent: null } });
    expect(december).to.deep.include({ total: 0, categoryLimits: { Food: 7_000 }, change: { amount: -9_000, percent: -100 } });
  });

  it('computes the change exactly, truncated to one decimal', () => {
    expect(percentChange(3, 4)).to.equal(33.3);
    expect(percentChange(3, 2)).to.equal(-33.3);
    expect(percentChange(10 ** 15, 10 ** 15 + 1)).to.equal(0);
    expect(percentChange(0, 5)).to.equal(null);
  });
});
