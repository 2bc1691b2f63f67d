import { expect } from 'chai';
import {
  addMonths, amountProblem, amountText, currencyDecimals, daysInMonth, formatDay, formatMoney, formatMonth, formatPercent, isMonth, isUntouchedBudget, parseAmount, sumMoney, todayIso,
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

    it('parses typed amounts by the one rule quick add uses: dot or comma decimals, thousands by the other', () => {
      expect(parseAmount('12.50', 'USD')).to.equal(12.5);
      expect(parseAmount(' 7 ', 'USD')).to.equal(7);
      expect(parseAmount('1,5', 'USD')).to.equal(1.5);
      expect(parseAmount('12,50', 'EUR')).to.equal(12.5);
      expect(parseAmount('1,234.56', 'USD')).to.equal(1234.56);
      expect(parseAmount('1.234,56', 'EUR')).to.equal(1234.56);
      expect(parseAmount('1,234,567', 'USD')).to.equal(1234567);
      expect(parseAmount('.5', 'USD')).to.equal(0.5);
      expect(parseAmount('12.345', 'KWD'), 'three decimals in a three-decimal currency').to.equal(12.345);
    });

    it('refuses what the rule cannot read one way as NaN, which JSON sends as null for the server to reject', () => {
      for (const text of ['', 'abc', '12a', '1.2.3', '-5', '12.345', '1,999', '3.505', '12.', '1,23,456']) expect(parseAmount(text, 'USD'), text).to.be.NaN;
      expect(parseAmount('12.5', 'JPY')).to.be.NaN;
      expect(JSON.stringify({ amount: parseAmount('abc', 'USD') })).to.equal('{"amount":null}');
    });

    it('says what is wrong with the amount typed, not the rule the server checks', () => {
      expect(amountProblem('', 'USD')).to.equal('Enter an amount, e.g. 12.50');
      expect(amountProblem('  ', 'JPY')).to.equal('Enter an amount, e.g. 1200');
      expect(amountProblem('abc', 'USD')).to.equal('"abc" is not an amount: use digits, e.g. 12.50');
      expect(amountProblem('0', 'USD')).to.equal('The amount must be more than 0 ("0" is not)');
      expect(amountProblem('12.345', 'USD')).to.equal('"12.345" could be 12345 or 12.345: write 12345, or the amount with 2 decimals');
      expect(amountProblem('3.505', 'USD')).to.equal('"3.505" could be 3505 or 3.505: write 3505, or the amount with 2 decimals');
      expect(amountProblem('3.5050', 'USD')).to.equal('"3.5050" has more than 2 decimals');
      expect(amountProblem('12.5', 'JPY')).to.equal('"12.5" has decimals, which this currency does not');
      expect(amountProblem('2000000', 'USD')).to.equal('"2000000" is over the largest amount, 1,000,000');
      expect(amountProblem('1,5', 'USD')).to.equal(null);
      expect(amountProblem('1.234,50', 'EUR')).to.equal(null);
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
