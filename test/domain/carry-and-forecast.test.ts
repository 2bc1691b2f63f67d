import { expect } from 'chai';
import { describeAlert, raiseAlerts, scopesWithLimits } from '../../src/domain/alert.js';
import { baseLimitIn, carryInto, plannedBefore, updateCarryPlans, type CarryPlans } from '../../src/domain/carry.js';
import { forecastIn, runRate } from '../../src/domain/forecast.js';
import { applyExpenseChange, carrySpentFrom, emptyMonth, unwrittenMonth, type MonthTotals } from '../../src/domain/month-totals.js';
import { summarize } from '../../src/domain/summary.js';
import { alert, budget, expense } from '../support/fixtures.js';

const now = new Date('2026-11-15T10:00:00.000Z');

/** A month that spent `byCategory` (recurring part in `recurring`). */
function month(name: string, byCategory: Record<string, number>, recurring: Record<string, number> = {}): MonthTotals {
  const total = Object.values(byCategory).reduce((sum, v) => sum + v, 0);
  return { ...emptyMonth(name), total, count: Object.keys(byCategory).length, byCategory, recurringByCategory: recurring };
}

/** Months chained as the write path chains them: each month's carrySpent from the one before it. */
function chain(plans: CarryPlans, months: MonthTotals[]): MonthTotals[] {
  const chained: MonthTotals[] = [];
  for (const m of months) chained.push({ ...m, carrySpent: carrySpentFrom(chained[chained.length - 1] ?? null, m.month, plans) });
  return chained;
}

describe('carry-over', () => {
  const food = budget({ categoryLimits: { Food: 30_000 }, rollover: ['Food'] });

  it('starts in the month it is switched on: nothing carries into it, and no earlier month counts', () => {
    const plans = updateCarryPlans({}, food, '2026-06');
    expect(plans).to.deep.equal({ Food: { since: '2026-06', limits: [{ from: '2026-06', amount: 30_000 }] } });
    const [may, june] = chain(plans, [month('2026-05', { Food: 90_000 }), month('2026-06', { Food: 10_000 })]);
    expect(scopesWithLimits(may!, food, plans)[0]).to.deep.include({ base: 30_000, carry: 0, limit: 30_000 });
    expect(scopesWithLimits(june!, food, plans)[0]).to.deep.include({ base: 30_000, carry: 0, limit: 30_000 });
  });

  it('carries a leftover forward, month after month, and months with no record carry their whole limit', () => {
    const plans = updateCarryPlans({}, food, '2026-06');
    const [, july, september] = chain(plans, [month('2026-06', { Food: 10_000 }), month('2026-07', { Food: 25_000 }), month('2026-09', { Food: 1 })]);
    // June left 200.00, July 50.00, August (no record) 300.00.
    expect(scopesWithLimits(july!, food, plans)[0]).to.deep.include({ carry: 20_000, limit: 50_000 });
    expect(scopesWithLimits(september!, food, plans)[0]).to.deep.include({ carry: 20_000 + 5_000 + 30_000, limit: 85_000 });
    // A month never written takes its carry from the latest one before it.
    const october = unwrittenMonth('2026-10', september!, plans);
    expect(scopesWithLimits(october, food, plans)[0]).to.deep.include({ carry: 55_000 + 30_000 - 1, limit: 114_999 });
  });

  it('carries overspending too, lowering the next limit, to zero and below', () => {
    const plans = updateCarryPlans({}, food, '2026-06');
    const [, july, august] = chain(plans, [month('2026-06', { Food: 45_000 }), month('2026-07', { Food: 50_000 }), month('2026-08', {})]);
    expect(scopesWithLimits(july!, food, plans)[0]).to.deep.include({ carry: -15_000, limit: 15_000 });
    expect(scopesWithLimits(august!, food, plans)[0]).to.deep.include({ carry: -35_000, limit: -5_000 });
    // Nothing left: the month is over at its first expense, not before; the summary shows no percentage.
    expect(raiseAlerts(august!, { ...food, thresholds: [80, 100] }, plans, now).alerts).to.deep.equal([]);
    const spent = applyExpenseChange(august!, null, expense({ amount: 1, category: 'Food', date: '2026-08-02' }));
    expect(raiseAlerts(spent, { ...food, thresholds: [80, 100] }, plans, now).alerts.map((a) => [a.threshold, a.limit])).to.deep.equal([[80, -5_000], [100, -5_000]]);
    expect(summarize(spent, food, plans).categories.Food).to.deep.include({ limit: -5_000, baseLimit: 30_000, carry: -35_000, percentUsed: null, remaining: -5_001 });
  });

  it('applies a limit change from the month it is made: earlier months keep the limit they had', () => {
    let plans = updateCarryPlans({}, budget({ monthlyLimit: 100_000, rollover: ['total'] }), '2026-01');
    plans = updateCarryPlans(plans, budget({ monthlyLimit: 150_000, rollover: ['total'] }), '2026-04');
    plans = updateCarryPlans(plans, budget({ monthlyLimit: 120_000, rollover: ['total'] }), '2026-04');
    expect(plans.total!.limits).to.deep.equal([{ from: '2026-01', amount: 100_000 }, { from: '2026-04', amount: 120_000 }]);
    expect(baseLimitIn(plans.total!, '2026-03')).to.equal(100_000);
    expect(baseLimitIn(plans.total!, '2026-09')).to.equal(120_000);
    // January to March at 1,000.00, April to June at 1,200.00.
    expect(plannedBefore(plans.total!, '2026-07')).to.equal(3 * 100_000 + 3 * 120_000);
    expect(carryInto(plans.total!, '2026-07', 600_000)).to.equal(60_000);
    // The same limit saved again changes nothing; unmarking stops the carry, and marking again starts afresh.
    expect(updateCarryPlans(plans, budget({ monthlyLimit: 120_000, rollover: ['total'] }), '2026-08')).to.deep.equal(plans);
    expect(updateCarryPlans(plans, budget({ monthlyLimit: 120_000 }), '2026-08')).to.deep.equal({});
    expect(updateCarryPlans({}, budget({ monthlyLimit: 120_000, rollover: ['total'] }), '2026-08').total!.since).to.equal('2026-08');
  });

  it('carries only the scopes marked, each from its own start, and the total over every category', () => {
    const both = budget({ monthlyLimit: 50_000, categoryLimits: { Food: 20_000, Travel: 10_000 }, rollover: ['total', 'Food'] });
    let plans = updateCarryPlans({}, budget({ monthlyLimit: 50_000, categoryLimits: { Food: 20_000, Travel: 10_000 }, rollover: ['total'] }), '2026-01');
    plans = updateCarryPlans(plans, both, '2026-02');
    const [, , march] = chain(plans, [month('2026-01', { Food: 5_000, Travel: 40_000 }), month('2026-02', { Food: 5_000 }), month('2026-03', {})]);
    const byScope = Object.fromEntries(scopesWithLimits(march!, both, plans).map((s) => [s.scope, s.carry]));
    expect(byScope).to.deep.equal({ total: 5_000 + 45_000, Food: 15_000, Travel: 0 });
  });
});

describe('forecast', () => {
  it('with history: spent + recurring still due + the daily average of the other spending over the three months before, for the days left', () => {
    const november = month('2026-11', { Food: 10_000, Rent: 100_000 }, { Rent: 100_000 });
    // 61 days of history (September 30 + October 31) with 61,000 not recurring: 1,000 a day.
    const history = [month('2026-09', { Food: 30_000, Rent: 100_000 }, { Rent: 100_000 }), month('2026-10', { Food: 31_000 })];
    expect(runRate(november, 'Food', '2026-11-10', history)).to.deep.equal({ spent: 61_000, days: 61 });
    // 20 days left after the 10th.
    expect(forecastIn(november, 'Food', '2026-11-10', history, 0)).to.equal(10_000 + 20 * 1_000);
    expect(forecastIn(november, 'total', '2026-11-10', history, 5_000)).to.equal(110_000 + 5_000 + 20 * 1_000);
    // Recurring spending is counted once, as what is still due, never as a pace.
    expect(forecastIn(november, 'Rent', '2026-11-10', history, 0)).to.equal(100_000);
  });

  it('without history, waits for more than 7 days of the month before pacing it: no forecast from one purchase on day 2', () => {
    const big = month('2026-11', { Food: 50_000 });
    expect(runRate(big, 'Food', '2026-11-02', [])).to.equal(null);
    expect(forecastIn(big, 'Food', '2026-11-02', [], 0)).to.equal(50_000);
    expect(forecastIn(big, 'Food', '2026-11-07', [], 2_500)).to.equal(52_500);
    // From day 8 on: this month's own average, today counted as a day spent.
    expect(runRate(big, 'Food', '2026-11-08', [])).to.deep.equal({ spent: 50_000, days: 8 });
    expect(forecastIn(big, 'Food', '2026-11-08', [], 0)).to.equal(50_000 + Math.round((50_000 * 22) / 8));
  });

  it('rounds the pace half up, exactly, also beyond 2^53', () => {
    expect(forecastIn(month('2026-11', { Food: 1 }), 'Food', '2026-11-28', [month('2026-10', { Food: 1 })], 0)).to.equal(1 + 0);
    // October spent 1 (then 16) in 31 days; 2 days are left: 2/31 rounds to 0, 32/31 to 1.
    expect(forecastIn(month('2026-11', {}), 'Food', '2026-11-28', [month('2026-10', { Food: 16 })], 0)).to.equal(1);
    const huge = 10 ** 15;
    expect(forecastIn(month('2026-11', {}), 'Food', '2026-11-01', [month('2026-10', { Food: huge })], 0)).to.equal(Number((BigInt(huge) * 29n * 2n + 31n) / 62n));
  });

  it('raises a forecast alert once per threshold, never for one spending already reached, and says it is a forecast', () => {
    const limits = budget({ categoryLimits: { Food: 50_000 }, thresholds: [80, 100], forecastThresholds: [80, 100] });
    const november = month('2026-11', { Food: 41_000 });
    const first = raiseAlerts(november, limits, {}, now, { forecast: () => 54_000 });
    expect(first.alerts.map((a) => [a.id, a.kind, a.forecast])).to.deep.equal([['2026-11_Food_80', 'actual', null], ['2026-11_Food_100_forecast', 'forecast', 54_000]]);
    expect(raiseAlerts(first.totals, limits, {}, now, { forecast: () => 60_000 }).alerts).to.deep.equal([]);
    // Only the thresholds chosen for forecasts.
    expect(raiseAlerts(month('2026-11', { Food: 1 }), { ...limits, forecastThresholds: [100] }, {}, now, { forecast: () => 45_000 }).alerts).to.deep.equal([]);
    const { subject, body } = describeAlert({ ...first.alerts[1]!, scopeName: 'Food' }, 'USD');
    expect(subject).to.equal('Budget forecast: at this pace you will reach 100% of your Food budget (November 2026)');
    expect(body).to.contain('At this pace you will spend $540.00 of your $500.00 Food budget by 30 November.');
    expect(body).to.contain('Spent: $410.00').and.contain('Forecast for the month: $540.00');
  });

  it('writes forecast emails with the currency\'s own decimals', () => {
    const forecast = alert({ id: '2026-11_total_100_forecast', kind: 'forecast', threshold: 100, spent: 1200, forecast: 1600, limit: 1500 });
    expect(describeAlert(forecast, 'JPY').body).to.contain('spend ¥1,600 of your ¥1,500 monthly budget by 30 November');
    expect(describeAlert(forecast, 'KWD').body).to.contain('spend KWD 1.600 of your KWD 1.500 monthly budget');
  });
});
