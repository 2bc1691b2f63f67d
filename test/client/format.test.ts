import { expect } from 'chai';
import {
  addMonths, amountText, currencyDecimals, daysInMonth, formatDay, formatMoney, formatMonth, formatPercent, isMonth, isUntouchedBudget, parseAmount, sumMoney, todayIso,
} from '../../client/src/format.js';

describe('client formatting helpers', () => {
  describe('money', () => {
    it('formats amounts in the user currency with Intl.NumberFormat', () => {
      expect(formatMoney(1234.5, 'USD', 'en-US')).to.equal('$1,234.50');
      expect(formatMoney(12, 'EUR', 'de-DE')).to.equal('12,00\u00a0€');
      expect(formatMoney(500, 'JPY', 'en-US')).to.equal('¥500');
    });

    it('falls back to the plain number and code for a currency Intl does not know', () => {
      expect(formatMoney(3.5, 'XX1', 'en-US')).to.equal('3.50 XX1');
    });

    it('sums in integer minor units of the currency so 0.1 + 0.2 is 0.3', () => {
      expect(sumMoney([0.1, 0.2], 'USD')).to.equal(0.3);
      expect(sumMoney([19.99, 0.01, 1000000], 'EUR')).to.equal(1000020);
      expect(sumMoney([0.001, 0.002], 'KWD')).to.equal(0.003);
      expect(sumMoney([1200, 300], 'JPY')).to.equal(1500);
      expect([currencyDecimals('JPY'), currencyDecimals('USD'), currencyDecimals('KWD'), currencyDecimals('XX1')]).to.deep.equal([0, 2, 3, 2]);
    });

    it('parses typed amounts, accepting a decimal comma and thousands separators', () => {
      expect(parseAmount('12.50')).to.equal(12.5);
      expect(parseAmount(' 7 ')).to.equal(7);
      expect(parseAmount('12,5')).to.equal(12.5);
      expect(parseAmount('1,234.56')).to.equal(1234.56);
      expect(parseAmount('.5')).to.equal(0.5);
    });

    it('turns text that is not an amount into NaN, which JSON sends as null for the server to reject', () => {
      for (const text of ['', 'abc', '12a', '1.2.3', '-5']) expect(parseAmount(text), text).to.be.NaN;
      expect(JSON.stringify({ amount: parseAmount('abc') })).to.equal('{"amount":null}');
      expect(parseAmount('12.345')).to.equal(12.345); // three decimals: the server names the rule
    });

    it('shows stored amounts as form values', () => {
      expect(amountText(12.5, 'USD')).to.equal('12.50');
      expect(amountText(40, 'USD')).to.equal('40');
      expect(amountText(1.25, 'KWD')).to.equal('1.250');
      expect(amountText(1200, 'JPY')).to.equal('1200');
      expect(amountText(null, 'USD')).to.equal('');
    });
  });

  describe('dates', () => {
    it('gives today in local time as YYYY-MM-DD', () => {
      expect(todayIso(new Date(2026, 10, 3, 23, 59))).to.equal('2026-11-03');
    });

    it('gives today in the budget\'s time zone once it is known', () => {
      const lateOnTheLastDay = new Date('2026-11-30T23:30:00.000Z');
      expect(todayIso(lateOnTheLastDay, 'Asia/Tokyo')).to.equal('2026-12-01');
      expect(todayIso(lateOnTheLastDay, 'America/Los_Angeles')).to.equal('2026-11-30');
    });

    it('recognises a budget nobody has set', () => {
      const untouched = {
        currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC',
        rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false,
      };
      expect(isUntouchedBudget(untouched)).to.equal(true);
      for (const change of [{ currency: 'EUR' }, { monthlyLimit: 1 }, { categoryLimits: { Food: 1 } }, { thresholds: [80] }, { alertEmail: 'a@b.co' }, { timeZone: 'Europe/Berlin' },
        { forecastThresholds: [100] }, { monthlyReport: true }]) {
        expect(isUntouchedBudget({ ...untouched, ...change }), JSON.stringify(change)).to.equal(false);
      }
    });

    it('moves between months across year ends', () => {
      expect(addMonths('2026-11', 1)).to.equal('2026-12');
      expect(addMonths('2026-12', 1)).to.equal('2027-01');
      expect(addMonths('2026-01', -1)).to.equal('2025-12');
      expect(addMonths('2026-03', -14)).to.equal('2025-01');
    });

    it('knows month lengths including leap years', () => {
      expect(daysInMonth('2026-02')).to.equal(28);
      expect(daysInMonth('2028-02')).to.equal(29);
      expect(daysInMonth('2026-11')).to.equal(30);
      expect(daysInMonth('2026-12')).to.equal(31);
    });

    it('recognises valid months only', () => {
      expect(isMonth('2026-11')).to.equal(true);
      expect(isMonth('2026-13')).to.equal(false);
      expect(isMonth('1969-12')).to.equal(false);
      expect(isMonth('2026-1')).to.equal(false);
    });

    it('labels months and days for people', () => {
      expect(formatMonth('2026-11', 'en-US')).to.equal('November 2026');
      expect(formatDay('2026-11-03', 'en-US')).to.equal('Tue, Nov 3');
      expect(formatPercent(82.5, 'en-US')).to.equal('82.5%');
      expect(formatPercent(100, 'en-US')).to.equal('100%');
    });

    it('floors percentages, never showing 100% before it is reached', () => {
      expect(formatPercent(99.99, 'en-US')).to.equal('99.9%');
      expect(formatPercent(99.95, 'en-US')).to.equal('99.9%');
      expect(formatPercent(79.99, 'en-US')).to.equal('79.9%');
      expect(formatPercent(0.3, 'en-US')).to.equal('0.3%');
      expect(formatPercent(66.6, 'en-US')).to.equal('66.6%');
      expect(formatPercent(1234.5, 'en-US')).to.equal('1,234.5%');
    });
  });
});
