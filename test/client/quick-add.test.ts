import { expect } from 'chai';
import { parseQuickAdd, type QuickAddContext } from '../../client/src/quick-add.js';

/** Wednesday 18 November 2026; the last expense was Shopping. */
const context = (overrides: Partial<QuickAddContext> = {}): QuickAddContext => ({
  today: '2026-11-18',
  decimals: 2,
  dateOrder: 'DMY',
  categories: ['Food', 'Transport', 'Housing', 'Utilities', 'Health', 'Entertainment', 'Shopping', 'Travel', 'Education', 'Other'].map((name) => ({ id: name, name })),
  history: [
    { description: 'shoes', category: 'Shopping' },
    { description: 'Coffee at Joe', category: 'Food' },
    { description: 'Rent', category: 'Housing' },
    { description: 'taxi home', category: 'Transport' },
    { description: 'lunch', category: 'Food' },
    { description: 'coffee beans', category: 'Food' },
    { description: 'coffee mug', category: 'Shopping' },
  ],
  ...overrides,
});

type Expected = [amount: number, date: string, category: string, from: 'typed' | 'guessed' | 'last', description: string];

/** Phrasing -> what is read from it (amount, date, category, where the category came from, description). */
const READ: [string, Expected, Partial<QuickAddContext>?][] = [
  ['coffee 3.50', [3.5, '2026-11-18', 'Food', 'guessed', 'coffee']],
  ['3,50 coffee yesterday', [3.5, '2026-11-17', 'Food', 'guessed', 'coffee']],
  ['rent 1200 on the 1st', [1200, '2026-11-01', 'Housing', 'guessed', 'rent']],
  ['taxi 24.90 2 days ago', [24.9, '2026-11-16', 'Transport', 'guessed', 'taxi']],
  ['lunch 12 food', [12, '2026-11-18', 'Food', 'typed', 'lunch']],
  ['12 lunch', [12, '2026-11-18', 'Food', 'guessed', 'lunch']],
  ['Lunch 12 FOOD', [12, '2026-11-18', 'Food', 'typed', 'Lunch']],
  ['bus 2.80 transport', [2.8, '2026-11-18', 'Transport', 'typed', 'bus']],
  ['bus 2.80 trans', [2.8, '2026-11-18', 'Transport', 'typed', 'bus']],
  ['cinema 11 ent', [11, '2026-11-18', 'Entertainment', 'typed', 'cinema']],
  ['pharmacy 8.20 health', [8.2, '2026-11-18', 'Health', 'typed', 'pharmacy']],
  ['gift 25', [25, '2026-11-18', 'Shopping', 'last', 'gift']],
  ['25', [25, '2026-11-18', 'Shopping', 'last', '']],
  ['food 9', [9, '2026-11-18', 'Food', 'typed', '']],
  ['groceries 54.10 today', [54.1, '2026-11-18', 'Shopping', 'last', 'groceries']],
  ['groceries 54,10 yesterday food', [54.1, '2026-11-17', 'Food', 'typed', 'groceries']],
  ['taxi 24.90 a day ago', [24.9, '2026-11-17', 'Transport', 'guessed', 'taxi']],
  ['taxi 30 1 day ago', [30, '2026-11-17', 'Transport', 'guessed', 'taxi']],
  ['dinner 40 10 days ago food', [40, '2026-11-08', 'Food', 'typed', 'dinner']],
  ['dinner 40 30 days ago', [40, '2026-10-19', 'Shopping', 'last', 'dinner']],
  ['market 18 monday', [18, '2026-11-16', 'Shopping', 'last', 'market']],
  ['market 18 on monday', [18, '2026-11-16', 'Shopping', 'last', 'market']],
  ['market 18 last friday', [18, '2026-11-13', 'Shopping', 'last', 'market']],
  ['market 18 on fri', [18, '2026-11-13', 'Shopping', 'last', 'market']],
  ['market 18 wednesday', [18, '2026-11-18', 'Shopping', 'last', 'market']],
  ['market 18 on thurs', [18, '2026-11-12', 'Shopping', 'last', 'market']],
  ['sun cream 12', [12, '2026-11-18', 'Shopping', 'last', 'sun cream']],
  ['rent 1200 on the 2nd', [1200, '2026-11-02', 'Housing', 'guessed', 'rent']],
  ['water bill 60 on the 20th utilities', [60, '2026-10-20', 'Utilities', 'typed', 'water bill']],
  ['rent 1200 the 18th', [1200, '2026-11-18', 'Housing', 'guessed', 'rent']],
  ['parking 4 3/11', [4, '2026-11-03', 'Transport', 'guessed', 'parking'], { history: [{ description: 'parking', category: 'Transport' }] }],
  ['parking 4 11/3', [4, '2026-11-03', 'Transport', 'guessed', 'parking'], { dateOrder: 'MDY', history: [{ description: 'parking', category: 'Transport' }] }],
  ['parking 4 3.11.', [4, '2026-11-03', 'Shopping', 'last', 'parking']],
  ['parking 4 03.11.2026', [4, '2026-11-03', 'Shopping', 'last', 'parking']],
  ['parking 4 3/11/26', [4, '2026-11-03', 'Shopping', 'last', 'parking']],
  ['hotel 320 2026-10-05 travel', [320, '2026-10-05', 'Travel', 'typed', 'hotel']],
  ['hotel 320 5 oct travel', [320, '2026-10-05', 'Travel', 'typed', 'hotel']],
  ['hotel 320 oct 5th travel', [320, '2026-10-05', 'Travel', 'typed', 'hotel']],
  ['hotel 320 5 december', [320, '2025-12-05', 'Shopping', 'last', 'hotel']],
  ['course 1,250.00 education', [1250, '2026-11-18', 'Education', 'typed', 'course']],
  ['course 1.250,00 education', [1250, '2026-11-18', 'Education', 'typed', 'course']],
  ['flat 1,234,567 housing', [1234567, '2026-11-18', 'Housing', 'typed', 'flat']],
  ['coffee $3.50', [3.5, '2026-11-18', 'Food', 'guessed', 'coffee']],
  ['coffee 3.50€', [3.5, '2026-11-18', 'Food', 'guessed', 'coffee']],
  ['coffee 3.5', [3.5, '2026-11-18', 'Food', 'guessed', 'coffee']],
  ['coffee 0.99', [0.99, '2026-11-18', 'Food', 'guessed', 'coffee']],
  ['Café crème 4,20', [4.2, '2026-11-18', 'Shopping', 'last', 'Café crème']],
  ['ramen 1200', [1200, '2026-11-18', 'Shopping', 'last', 'ramen'], { decimals: 0 }],
  ['souk 1.250', [1.25, '2026-11-18', 'Shopping', 'last', 'souk'], { decimals: 3 }],
  ['souk 1,250 food', [1.25, '2026-11-18', 'Food', 'typed', 'souk'], { decimals: 3 }],
  ['Coffee at the station 2.40', [2.4, '2026-11-18', 'Food', 'guessed', 'Coffee at the station']],
  ['  coffee   3.50  ', [3.5, '2026-11-18', 'Food', 'guessed', 'coffee']],
  ['other 5', [5, '2026-11-18', 'Other', 'typed', '']],
  ['coffee mug 9', [9, '2026-11-18', 'Shopping', 'guessed', 'coffee mug'], { history: [{ description: 'coffee mug', category: 'Shopping' }] }],
];

/** Phrasings that must not save: each names its problem. */
const REFUSED: [string, RegExp, Partial<QuickAddContext>?][] = [
  ['', /Type what you spent/],
  ['coffee', /No amount/],
  ['coffee yesterday', /No amount/],
  ['coffee 3.50 4.20', /Two amounts \(3\.50 and 4\.20\)/],
  ['coffee 0', /more than 0/],
  ['coffee 3.505', /could be 3505 or 3\.505/],
  ['coffee 12.345', /could be 12345 or 12\.345/],
  ['coffee 1,999', /could be 1999 or 1\.999/],
  ['coffee 3.5050', /more than 2 decimals/],
  ['ramen 12.5', /decimals, which this currency does not/, { decimals: 0 }],
  ['souk 1.2345', /more than 3 decimals/, { decimals: 3 }],
  // On 18 December: this month's 31st has not come, and November had none.
  ['coffee 3 on the 31st', /no 31st/, { today: '2026-12-18' }],
  ['coffee 3 31/02', /31\/02 is not a date/],
  ['coffee 3 2026-02-30', /not a date/],
  ['coffee 3 yesterday today', /Two dates/],
  ['coffee 3 2026-12-01', /in the future/],
  ['coffee 1.2.3', /not an amount/],
  ['coffee 3', /No category/, { categories: [], history: [] }],
];

describe('client quick add: one line read into an expense', () => {
  it(`reads ${READ.length} phrasings`, () => {
    for (const [text, [amount, date, category, categoryFrom, description], overrides] of READ) {
      expect(parseQuickAdd(text, context(overrides)), text).to.deep.equal({ ok: true, expense: { amount, date, category, categoryFrom, description } });
    }
  });

  it(`refuses ${REFUSED.length} ambiguous or invalid ones, saying why`, () => {
    for (const [text, problem, overrides] of REFUSED) {
      const parsed = parseQuickAdd(text, context(overrides));
      expect(parsed.ok, text).to.equal(false);
      expect((parsed as { problem: string }).problem, text).to.match(problem);
    }
  });

  it('has at least 60 phrasings in its table', () => {
    expect(READ.length + REFUSED.length).to.be.at.least(60);
  });
});
