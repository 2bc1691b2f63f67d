import { expect } from 'chai';
import fc from 'fast-check';
import { isCalendarDate, isMonth, monthOf } from '../../src/domain/expense.js';
import type { ValidationError } from '../../src/domain/errors.js';
import {
  currencyDecimals, formatMoney, hasAtMostDecimals, MAX_MONTH_TOTAL, maxBudgetLimit, maxExpenseAmount, percentUsed, reachesThreshold, toMajorUnits, toMinorUnits,
} from '../../src/domain/money.js';

describe('money', () => {
  it('takes each currency\'s decimals from ISO 4217 through ICU', () => {
    expect(['JPY', 'KRW', 'USD', 'EUR', 'KWD', 'BHD', 'CLF'].map(currencyDecimals)).to.deep.equal([0, 0, 2, 2, 3, 3, 4]);
  });

  it('accepts amounts written with at most the currency\'s decimals', () => {
    for (const ok of [1, 0.01, 0.1, 19.99, 1_000_000, 999_999.99, 1_000_000_000, 0.29, 1.005e2]) expect(hasAtMostDecimals(ok, 2), String(ok)).to.equal(true);
    for (const bad of [0.001, 19.999, 0.005, 1e-7, 123.456, NaN, Infinity]) expect(hasAtMostDecimals(bad, 2), String(bad)).to.equal(false);
    for (const ok of [1.234, 0.001, 999_999.999, 1.25]) expect(hasAtMostDecimals(ok, 3), String(ok)).to.equal(true);
    expect(hasAtMostDecimals(1.2345, 3)).to.equal(false);
    expect(hasAtMostDecimals(1200, 0)).to.equal(true);
    expect(hasAtMostDecimals(1.5, 0)).to.equal(false);
  });

  it('converts to integer minor units of the currency and back without drift', () => {
    const usd = (amount: number) => toMinorUnits(amount, 'USD', 'amount', 1_000_000_000);
    expect(usd(0.1) + usd(0.2)).to.equal(30);
    expect(toMajorUnits(usd(0.1) + usd(0.2), 'USD')).to.equal(0.3);
    expect(usd(1_000_000_000)).to.equal(100_000_000_000);
    expect(usd(19.99)).to.equal(1999);
    expect(usd(4.35)).to.equal(435);
    expect(toMinorUnits(1.234, 'KWD', 'amount', 10)).to.equal(1234);
    expect(toMajorUnits(1250, 'KWD')).to.equal(1.25);
    expect(toMinorUnits(1200, 'JPY', 'amount', 10_000)).to.equal(1200);
    expect(toMajorUnits(1200, 'JPY')).to.equal(1200);
  });

  it('names the field and the currency\'s rule when an amount does not fit it', () => {
    const rejection = (amount: unknown, currency: string, max: number) => {
      try {
        toMinorUnits(amount, currency, 'original.amount', max);
      } catch (error) {
        return (error as ValidationError).fields;
      }
      throw new Error(`${String(amount)} ${currency} was accepted`);
    };
    expect(rejection(1.5, 'JPY', 100)).to.deep.equal({ 'original.amount': 'must be a number greater than 0 and at most 100, with no decimal places (JPY)' });
    expect(rejection(1.2345, 'KWD', 100)).to.deep.equal({ 'original.amount': 'must be a number greater than 0 and at most 100, with at most 3 decimal places (KWD)' });
    expect(rejection(101, 'USD', 100)).to.have.property('original.amount');
    expect(rejection(0, 'USD', 100)).to.have.property('original.amount');
    expect(rejection('5', 'USD', 100)).to.have.property('original.amount');
  });

  it('allows 1,000,000 per expense and 1,000,000,000 per limit with decimals, ten thousand times that without', () => {
    expect([maxExpenseAmount(2), maxBudgetLimit(2)]).to.deep.equal([1_000_000, 1_000_000_000]);
    expect([maxExpenseAmount(3), maxBudgetLimit(3)]).to.deep.equal([1_000_000, 1_000_000_000]);
    expect([maxExpenseAmount(0), maxBudgetLimit(0)]).to.deep.equal([10_000_000_000, 10_000_000_000_000]);
    // The largest expense in minor units, for every number of decimals ICU knows, keeps a month of rate-limited writes exact.
    for (const decimals of [0, 2, 3, 4]) expect(maxExpenseAmount(decimals) * 10 ** decimals).to.be.at.most(10 ** 10);
    expect(MAX_MONTH_TOTAL + 10 ** 10).to.be.below(Number.MAX_SAFE_INTEGER / 8);
  });

  it('floors the percentage used to one decimal', () => {
    expect(percentUsed(1, 3)).to.equal(33.3);
    expect(percentUsed(2, 3)).to.equal(66.6);
    expect(percentUsed(15000, 10000)).to.equal(150);
    expect(percentUsed(0, 10000)).to.equal(0);
    expect(percentUsed(99_995, 100_000)).to.equal(99.9);
    expect(percentUsed(99_999, 100_000)).to.equal(99.9);
    expect(percentUsed(100_000, 100_000)).to.equal(100);
    expect(percentUsed(7999, 10000)).to.equal(79.9);
  });

  it('floors exactly for large and negative values', () => {
    // spent * 1000 is past 2^53 here: floating-point division gives 76.4.
    expect(percentUsed(57_322_978_245_573, 75_030_076_237_661)).to.equal(76.3);
    expect(percentUsed(100_000_000_000_000 - 1, 1_000_000_000_000)).to.equal(9999.9);
    expect(percentUsed(-1, 3)).to.equal(-33.4);
    expect(percentUsed(-3, 3)).to.equal(-100);
  });

  it('shows a whole-number threshold as reached exactly when the alert rule says it is', () => {
    // Spending within a few cents of the threshold, where rounding would show it reached too early.
    const nearThreshold = fc.tuple(fc.integer({ min: 1, max: 10 ** 11 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -3, max: 3 }))
      .map(([limit, threshold, cents]) => ({ spent: Math.max(0, Math.floor((limit * threshold) / 100) + cents), limit, threshold }));
    fc.assert(fc.property(nearThreshold, ({ spent, limit, threshold }) => {
      expect(percentUsed(spent, limit)! >= threshold).to.equal(reachesThreshold(spent, limit, threshold));
    }), { seed: 10, numRuns: 5000 });
    for (const [spent, limit, threshold] of [[99_995, 100_000, 100], [7999, 10000, 80], [8000, 10000, 80], [1, 3, 33], [2, 3, 67]] as const) {
      expect(percentUsed(spent, limit)! >= threshold, `${spent}/${limit} vs ${threshold}%`).to.equal(reachesThreshold(spent, limit, threshold));
    }
  });

  it('decides thresholds on exact integers: 79.99% does not reach 80%', () => {
    expect(reachesThreshold(7999, 10000, 80)).to.equal(false);
    expect(reachesThreshold(8000, 10000, 80)).to.equal(true);
    expect(reachesThreshold(1, 3, 33)).to.equal(true);
  });

  it('formats money with the currency\'s own decimals, from the exact integer', () => {
    expect(formatMoney(123456789, 'EUR')).to.equal('€1,234,567.89');
    expect(formatMoney(5, 'USD')).to.equal('$0.05');
    expect(formatMoney(1200, 'JPY')).to.equal('¥1,200');
    expect(formatMoney(1250, 'KWD')).to.equal('KWD 1.250');
    expect(formatMoney(-1250, 'BHD')).to.equal('-BHD 1.250');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).to.equal('$90,071,992,547,409.91');
  });
});

describe('dates', () => {
  it('accepts real calendar dates in range only', () => {
    for (const ok of ['1970-01-01', '2099-12-31', '2024-02-29', '2000-02-29', '2026-11-30']) expect(isCalendarDate(ok), ok).to.equal(true);
    for (const bad of ['2026-02-30', '2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '1969-12-31', '2100-01-01', '2026-1-01', ' 2026-01-01', '2026-01-01T00:00']) {
      expect(isCalendarDate(bad), bad).to.equal(false);
    }
  });

  it('knows months', () => {
    expect(isMonth('2026-11')).to.equal(true);
    expect(isMonth('2026-13')).to.equal(false);
    expect(isMonth('1969-12')).to.equal(false);
    expect(isMonth('2026-1')).to.equal(false);
    expect(monthOf('2026-11-25')).to.equal('2026-11');
  });
});
