import { expect } from 'chai';
import { isCalendarDate, isMonth, monthOf } from '../../src/domain/expense.js';
import { formatMoney, hasAtMostTwoDecimals, percentUsed, reachesThreshold, toMajorUnits, toMinorUnits } from '../../src/domain/money.js';

describe('money', () => {
  it('accepts amounts written with at most two decimals and rejects three', () => {
    for (const ok of [1, 0.01, 0.1, 19.99, 1_000_000, 999_999.99, 1_000_000_000, 0.29, 1.005e2]) expect(hasAtMostTwoDecimals(ok), String(ok)).to.equal(true);
    for (const bad of [0.001, 19.999, 0.005, 1e-7, 123.456, NaN, Infinity]) expect(hasAtMostTwoDecimals(bad), String(bad)).to.equal(false);
  });

  it('converts to integer minor units and back without drift', () => {
    expect(toMinorUnits(0.1) + toMinorUnits(0.2)).to.equal(30);
    expect(toMajorUnits(toMinorUnits(0.1) + toMinorUnits(0.2))).to.equal(0.3);
    expect(toMinorUnits(1_000_000_000)).to.equal(100_000_000_000);
    expect(toMinorUnits(19.99)).to.equal(1999);
    expect(toMinorUnits(4.35)).to.equal(435);
  });

  it('rounds the percentage used to one decimal', () => {
    expect(percentUsed(1, 3)).to.equal(33.3);
    expect(percentUsed(2, 3)).to.equal(66.7);
    expect(percentUsed(15000, 10000)).to.equal(150);
  });

  it('decides thresholds on exact integers: 79.99% does not reach 80%', () => {
    expect(reachesThreshold(7999, 10000, 80)).to.equal(false);
    expect(reachesThreshold(8000, 10000, 80)).to.equal(true);
    expect(reachesThreshold(1, 3, 33)).to.equal(true);
  });

  it('formats money for messages', () => {
    expect(formatMoney(123456789, 'EUR')).to.equal('EUR 1,234,567.89');
    expect(formatMoney(5, 'USD')).to.equal('USD 0.05');
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
