import { expect } from 'chai';
import {
  ConcurrentChangeError, ExpensesExistError, type ImportRecord, type ImportRepository, type LedgerChange, type LedgerRepository,
} from '../../src/application/ports.js';
import { emptyMonth, applyExpenseChange } from '../../src/domain/month-totals.js';
import type { ImportTable } from '../../src/domain/import-rows.js';
import { expense } from '../support/fixtures.js';

export interface ImportFixture {
  imports: ImportRepository;
  /** The ledger sharing the store: import batches commit through it. */
  ledger: LedgerRepository;
  cleanup(): Promise<void>;
}

const USER = 'user-a';
const rejection = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
const OTHER = 'user-b';
const record = (overrides: Partial<ImportRecord> = {}): ImportRecord => ({
  id: '7d9c1f1e-8a1b-4c8e-9a55-0f6b3c1d2e4f', fileName: 'bank.csv', createdAt: '2026-11-15T10:00:00.000Z', status: 'draft', records: 3, delimiter: ';', ...overrides,
});

/** The behaviour every ImportRepository adapter, and the ledger's import batches, must have. */
export function importRepositoryContract(name: string, create: () => Promise<ImportFixture>): void {
  describe(`ImportRepository contract: ${name}`, function () {
    this.timeout(30_000);
    let fixture: ImportFixture;
    beforeEach(async () => {
      fixture = await create();
    });
    afterEach(async () => fixture.cleanup());

    /** A batch of `count` new expenses of 2026-11 with the month's totals, for import `id` in `status`. */
    const batch = (count: number, status: ImportRecord['status'], key = 'b1', monthVersion = 0): LedgerChange => {
      const expenses = Array.from({ length: count }, () => expense({ date: '2026-11-05' }));
      const totals = expenses.reduce((t, e) => applyExpenseChange(t, null, e), emptyMonth('2026-11'));
      return {
        months: [{ totals, expectedVersion: monthVersion }], newAlerts: [], expenses: expenses.map((e) => ({ kind: 'create', expense: e })),
        importBatch: { importId: record().id, status, write: 'put', batch: { key, month: '2026-11', expenseIds: expenses.map((e) => e.id) } },
      };
    };

    it('stores a draft with its file, exactly as given, for its user only', async () => {
      const table: ImportTable = { rows: [{ line: 1, cells: ['Datum', 'Betrag'] }, { line: 2, cells: ['03.11.2026', '-1.234,56 "quoted"\nÜ'] }] };
      await fixture.imports.create(USER, record(), table);
      expect(await fixture.imports.get(USER, record().id)).to.deep.equal({ record: record(), version: 1 });
      expect(await fixture.imports.getTable(USER, record().id)).to.deep.equal(table);
      expect(await fixture.imports.get(OTHER, record().id)).to.equal(null);
      expect(await fixture.imports.list(OTHER)).to.deep.equal([]);
    });

    it('keeps a large file whole (it spans several stored chunks)', async () => {
      // Random text hardly compresses: about 1 MB gzipped, three 350 KB chunks.
      const cells = Array.from({ length: 60_000 }, (_, i) => [String(i), `${Math.random().toString(36)}${Math.random().toString(36)}`]);
      const table: ImportTable = { rows: cells.map((c, i) => ({ line: i + 1, cells: c })) };
      await fixture.imports.create(USER, record(), table);
      expect(await fixture.imports.getTable(USER, record().id)).to.deep.equal(table);
    });

    it('lists imports newest first, without their files or batches', async () => {
      await fixture.imports.create(USER, record(), { rows: [] });
      await fixture.imports.create(USER, record({ id: '00000000-0000-4000-8000-000000000001', createdAt: '2026-11-16T10:00:00.000Z' }), { rows: [] });
      await fixture.imports.save(USER, record({ status: 'committing' }), 1);
      await fixture.ledger.commit(USER, batch(2, 'committing'));
      expect((await fixture.imports.list(USER)).map((r) => [r.id, r.status])).to.deep.equal([
        ['00000000-0000-4000-8000-000000000001', 'draft'], [record().id, 'committing'],
      ]);
    });

    it('saves a record only at the version read', async () => {
      await fixture.imports.create(USER, record(), { rows: [] });
      await fixture.imports.save(USER, record({ status: 'committing', commitKey: 'k' }), 1);
      expect(await rejection(fixture.imports.save(USER, record({ status: 'undoing' }), 1))).to.be.instanceOf(ConcurrentChangeError);
      expect(await fixture.imports.get(USER, record().id)).to.deep.equal({ record: record({ status: 'committing', commitKey: 'k' }), version: 2 });
    });

    it('commits a batch with its expenses only while the import is in the stated status, and lists it', async () => {
      await fixture.imports.create(USER, record(), { rows: [] });
      expect(await rejection(fixture.ledger.commit(USER, batch(3, 'committing')))).to.be.instanceOf(ConcurrentChangeError);
      expect(await fixture.ledger.hasExpenses(USER)).to.equal(false);
      await fixture.imports.save(USER, record({ status: 'committing' }), 1);
      const change = batch(3, 'committing');
      await fixture.ledger.commit(USER, change);
      expect(await fixture.imports.listBatches(USER, record().id)).to.deep.equal([change.importBatch!.batch]);
      expect((await fixture.ledger.getMonths(USER, ['2026-11']))[0]!.totals.count).to.equal(3);
    });

    it('never records the same batch key twice, nor creates an expense that exists: naming the ones that do', async () => {
      await fixture.imports.create(USER, record({ status: 'committing' }), { rows: [] });
      const first = batch(2, 'committing');
      await fixture.ledger.commit(USER, first);
      const again = batch(2, 'committing', 'b2', 1);
      const existing = first.expenses![1]!.expense;
      again.expenses!.push({ kind: 'create', expense: existing });
      again.importBatch!.batch.expenseIds.push(existing.id);
      again.months[0]!.totals = applyExpenseChange(again.months[0]!.totals, null, existing);
      const error = await rejection(fixture.ledger.commit(USER, again));
      expect(error).to.be.instanceOf(ExpensesExistError);
      expect((error as ExpensesExistError).ids).to.deep.equal([existing.id]);
      expect(await rejection(fixture.ledger.commit(USER, { ...batch(1, 'committing', 'b1', 1) }))).to.be.instanceOf(ConcurrentChangeError);
      expect((await fixture.ledger.getMonths(USER, ['2026-11']))[0]!.totals.count).to.equal(2);
      expect(await fixture.imports.listBatches(USER, record().id)).to.have.length(1);
    });

    it('removes a batch record with its expenses while undoing, and only once', async () => {
      await fixture.imports.create(USER, record({ status: 'committing' }), { rows: [] });
      const committed = batch(2, 'committing');
      await fixture.ledger.commit(USER, committed);
      await fixture.imports.save(USER, record({ status: 'undoing' }), 1);
      const removal = (monthVersion: number): LedgerChange => ({
        months: [{ totals: emptyMonth('2026-11'), expectedVersion: monthVersion }], newAlerts: [],
        expenses: committed.expenses!.map((w) => ({ kind: 'delete', expense: w.expense })),
        importBatch: { ...committed.importBatch!, status: 'undoing', write: 'delete' },
      });
      await fixture.ledger.commit(USER, removal(1));
      expect(await fixture.imports.listBatches(USER, record().id)).to.deep.equal([]);
      expect(await fixture.ledger.hasExpenses(USER)).to.equal(false);
      expect(await rejection(fixture.ledger.commit(USER, { ...removal(2), expenses: [] }))).to.be.instanceOf(ConcurrentChangeError);
    });
  });
}
