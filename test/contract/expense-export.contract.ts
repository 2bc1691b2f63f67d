import { expect } from 'chai';
import type { ExpenseExportReader, LedgerRepository } from '../../src/application/ports.js';
import { ValidationError } from '../../src/domain/errors.js';
import type { Expense } from '../../src/domain/expense.js';
import { expense } from '../support/fixtures.js';

export interface ExportFixture {
  reader: ExpenseExportReader;
  /** The ledger the reader reads: expenses are committed through it. */
  ledger: LedgerRepository;
  cleanup(): Promise<void>;
}

const USER = 'user-a';

/** The behaviour every ExpenseExportReader adapter must have. */
export function expenseExportContract(name: string, create: () => Promise<ExportFixture>): void {
  describe(`ExpenseExportReader contract: ${name}`, function () {
    this.timeout(30_000);
    let fixture: ExportFixture;
    beforeEach(async () => {
      fixture = await create();
    });
    afterEach(async () => fixture.cleanup());

    const store = async (e: Expense, user = USER) => fixture.ledger.commit(user, { expense: { kind: 'create', expense: e }, months: [], newAlerts: [] });
    const readAll = async (range: { from: string; to: string }, limit: number) => {
      const pages: Expense[][] = [];
      let cursor: string | undefined;
      do {
        const page = await fixture.reader.readPage(USER, range, limit, cursor);
        expect(page.expenses.length).to.be.at.most(limit);
        pages.push(page.expenses);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return pages;
    };

    it('pages through the months asked for, oldest date first, each expense once; other months and users left out', async () => {
      const inRange = [
        expense({ id: 'b', date: '2026-01-31' }), expense({ id: 'a', date: '2025-11-01', description: 'first' }), expense({ id: 'c', date: '2026-01-31' }),
        expense({ id: 'd', date: '2025-12-15', original: { amount: 1200, currency: 'JPY' } }), expense({ id: 'e', date: '2025-11-30' }),
      ];
      for (const e of inRange) await store(e);
      await store(expense({ id: 'before', date: '2025-10-31' }));
      await store(expense({ id: 'after', date: '2026-02-01' }));
      await store(expense({ id: 'other-user', date: '2025-12-01' }), 'user-b');
      const pages = await readAll({ from: '2025-11', to: '2026-01' }, 2);
      expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 1]);
      const order = [...inRange].sort((x, y) => (`${x.date}#${x.createdAt}#${x.id}` < `${y.date}#${y.createdAt}#${y.id}` ? -1 : 1));
      expect(pages.flat()).to.deep.equal(order);
      expect((await fixture.reader.readPage(USER, { from: '2025-11', to: '2026-01' }, 10)).nextCursor).to.equal(null);
    });

    it('answers an empty range with an empty last page, and refuses a cursor issued for another range', async () => {
      await store(expense({ id: 'x', date: '2026-03-10' }));
      await store(expense({ id: 'y', date: '2026-03-11' }));
      expect(await fixture.reader.readPage(USER, { from: '2026-04', to: '2026-05' }, 5)).to.deep.equal({ expenses: [], nextCursor: null });
      const { nextCursor } = await fixture.reader.readPage(USER, { from: '2026-03', to: '2026-03' }, 1);
      expect(nextCursor).to.be.a('string');
      const error = await fixture.reader.readPage(USER, { from: '2026-04', to: '2026-05' }, 1, nextCursor!).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
    });
  });
}
