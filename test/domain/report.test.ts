import { expect } from 'chai';
import { updateCarryPlans } from '../../src/domain/carry.js';
import { emptyMonth, type MonthTotals } from '../../src/domain/month-totals.js';
import { buildMonthReport, changeFromPrevious, renderMonthReport, reportDueAt } from '../../src/domain/report.js';
import { alert, budget, expense } from '../support/fixtures.js';

const november: MonthTotals = {
  ...emptyMonth('2026-11'), total: 123_450, count: 7,
  byCategory: { Food: 23_450, Housing: 90_000, k3x: 10_000 }, countByCategory: { Food: 5, Housing: 1, k3x: 1 },
  carrySpent: { Food: 15_000 },
};
const october: MonthTotals = { ...emptyMonth('2026-10'), total: 98_760, count: 3, byCategory: { Food: 98_760 } };
const names = new Map([['Food', 'Food'], ['Housing', 'Housing'], ['k3x', 'Pets <&> "toys"']]);
const expenses = [
  expense({ amount: 90_000, category: 'Housing', date: '2026-11-01', description: 'rent' }),
  expense({ amount: 10_000, category: 'k3x', date: '2026-11-20', description: 'vet' }),
  expense({ amount: 9_000, category: 'Food', date: '2026-11-04' }),
  expense({ amount: 6_000, category: 'Food', date: '2026-11-08', description: 'market' }),
  expense({ amount: 4_000, category: 'Food', date: '2026-11-11', description: 'lunch' }),
  expense({ amount: 3_000, category: 'Food', date: '2026-11-15', description: 'tiny 1' }),
  expense({ amount: 1_450, category: 'Food', date: '2026-11-16', description: 'tiny 2' }),
];

function report(currency: string) {
  const limits = budget({ currency, monthlyLimit: 150_000, categoryLimits: { Food: 20_000 }, rollover: ['Food'] });
  return buildMonthReport({
    totals: november, previous: october, budget: limits, plans: updateCarryPlans({}, limits, '2026-10'), names, expenses,
    alerts: [alert({ scope: 'Food', scopeName: 'Food', threshold: 100 }), alert({ id: '2026-11_total_80_forecast', kind: 'forecast', scope: 'total', threshold: 80, forecast: 130_000 })],
    bills: [{ recurringId: 'r1', date: '2026-12-01', amount: 90_000, category: 'Housing', description: 'rent' }, { recurringId: 'r2', date: '2026-12-05', amount: 1_500, category: 'k3x' }],
  });
}

describe('monthly report', () => {
  it('holds the month against the budget, each category against its limit with the carry, the five largest expenses, the change, the alerts and next month\'s bills', () => {
    const r = report('USD');
    expect(r).to.deep.include({ month: '2026-11', currency: 'USD', total: 123_450, count: 7, previousTotal: 98_760, billsTotal: 91_500 });
    expect(r.budget).to.deep.include({ spent: 123_450, base: 150_000, carry: 0, limit: 150_000 });
    expect(r.categories.map((c) => [c.name, c.spent, c.use?.limit ?? null])).to.deep.equal([
      ['Housing', 90_000, null], ['Food', 23_450, 20_000 + 20_000 - 15_000], ['Pets <&> "toys"', 10_000, null],
    ]);
    expect(r.largest.map((e) => e.amount)).to.deep.equal([90_000, 10_000, 9_000, 6_000, 4_000]);
    expect(r.largest[2]).to.deep.equal({ date: '2026-11-04', description: null, category: 'Food', amount: 9_000 });
    expect(r.alerts).to.deep.equal([{ scopeName: 'Food', threshold: 100, kind: 'actual' }, { scopeName: 'Monthly', threshold: 80, kind: 'forecast' }]);
    expect(changeFromPrevious(r)).to.equal('+25%');
    expect(changeFromPrevious({ ...r, total: 98_761 })).to.equal('0%');
    expect(changeFromPrevious({ ...r, total: 110_000 })).to.equal('+11.3%');
    expect(changeFromPrevious({ ...r, total: 49_380 })).to.equal('-50%');
    expect(changeFromPrevious({ ...r, previousTotal: null })).to.equal(null);
  });

  it('renders the same content as text and as HTML, escaped, with the currency\'s own decimals', () => {
    for (const [currency, amounts] of [
      ['USD', ['$1,234.50', '$1,500.00', '$900.00', '+25%', '$200.00 + $50.00 carried over']],
      ['JPY', ['¥123,450', '¥150,000', '¥90,000', '+25%', '¥20,000 + ¥5,000 carried over']],
      ['KWD', ['KWD 123.450', 'KWD 150.000', 'KWD 90.000', '+25%', 'KWD 20.000 + KWD 5.000 carried over']],
    ] as const) {
      const { subject, text, html } = renderMonthReport(report(currency), 'https://api.example.com/api/reports/unsubscribe?token=a.b');
      expect(subject).to.equal(`Your spending in November 2026: ${amounts[0]}`);
      for (const amount of amounts) {
        expect(text, `${currency} text`).to.contain(amount);
        expect(html, `${currency} html`).to.contain(amount);
      }
      expect(text).to.contain('- Pets <&> "toys": ').and.contain('Stop these monthly reports: https://api.example.com/api/reports/unsubscribe?token=a.b');
      expect(html).to.contain('Pets &lt;&amp;&gt; &quot;toys&quot;').and.not.contain('<&>');
      expect(html).to.contain('<a href="https://api.example.com/api/reports/unsubscribe?token=a.b">');
      // Every line of the text part is in the HTML part.
      for (const line of text.split('\n').filter((l) => l.startsWith('- '))) {
        expect(html).to.contain(line.slice(2).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
      }
    }
  });

  it('says so when the month had nothing: no expense, no alert, no bill', () => {
    const empty = buildMonthReport({ totals: emptyMonth('2026-11'), previous: null, budget: budget(), plans: {}, names, expenses: [], alerts: [], bills: [] });
    const { text } = renderMonthReport(empty, 'https://x/u');
    expect(text).to.contain('Spent: $0.00 in 0 expenses').and.contain('The month before: nothing recorded').and.contain('No alert this month').and.contain('No recurring bill');
  });

  it('is due on the 1st after the month at 08:00 in the user\'s own time zone', () => {
    expect(new Date(reportDueAt('2026-11', 'UTC')).toISOString()).to.equal('2026-12-01T08:00:00.000Z');
    expect(new Date(reportDueAt('2026-11', 'Asia/Tokyo')).toISOString()).to.equal('2026-11-30T23:00:00.000Z');
    expect(new Date(reportDueAt('2026-12', 'America/Los_Angeles')).toISOString()).to.equal('2027-01-01T16:00:00.000Z');
  });
});
