import { expect } from 'chai';
import { ConcurrentChangeError, ExpensesExistError, type LedgerRepository, type RecurrenceRepository } from '../../src/application/ports.js';
import { applyExpenseChange, emptyMonth } from '../../src/domain/month-totals.js';
import type { Recurrence } from '../../src/domain/recurrence.js';
import { expense } from '../support/fixtures.js';

export interface RecurrenceFixture {
  recurrences: RecurrenceRepository;
  /** The ledger sharing the store: recurrences are written through its commits. */
  ledger: LedgerRepository;
  cleanup(): Promise<void>;
}

const USER = 'user-a';
const OTHER = 'user-b';
const rejection = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
const rent = (overrides: Partial<Recurrence> = {}): Recurrence => ({
  id: '3f0c1a2b-4d5e-4f60-8a71-92b3c4d5e6f7',
  expense: { amount: 120_000, category: 'Housing', description: 'Rent' },
  schedule: { frequency: 'monthly', interval: 1, startDate: '2026-11-01', weekend: 'none' },
  nextIndex: 0, lastDate: null, createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z',
  ...overrides,
});
const DUE = Date.parse('2026-12-01T00:00:00Z');

/** The behaviour every RecurrenceRepository adapter, and the ledger's recurrence writes, must have. */
export function recurrenceRepositoryContract(name: string, create: () => Promise<RecurrenceFixture>): void {
  describe(`RecurrenceRepository contract: ${name}`, function () {
    this.timeout(20_000);
    let fixture: RecurrenceFixture;
    beforeEach(async () => {
      fixture = await create();
    });
    afterEach(async () => fixture.cleanup());

    const put = (recurrence: Recurrence, expectedVersion: number, dueAt: number | null = DUE, user = USER) =>
      fixture.ledger.commit(user, { months: [], newAlerts: [], recurrence: { write: 'put', recurrence, expectedVersion, dueAt } });

    it('stores a recurrence at version 1, reads it back for its user only, and lists oldest first', async () => {
      await put(rent(), 0);
      const phone = rent({ id: '00000000-0000-4000-8000-000000000002', createdAt: '2026-11-02T08:00:00.000Z' });
      await put(phone, 0);
      expect(await fixture.recurrences.get(USER, rent().id)).to.deep.equal({ recurrence: rent(), version: 1, dueAt: DUE });
      expect((await fixture.recurrences.list(USER)).map((r) => r.recurrence.id)).to.deep.equal([rent().id, phone.id]);
      expect(await fixture.recurrences.listForDisplay(USER)).to.deep.equal([rent(), phone]);
      expect(await fixture.recurrences.get(OTHER, rent().id)).to.equal(null);
      expect(await fixture.recurrences.list(OTHER)).to.deep.equal([]);
    });

    it('writes only at the version read, and deletes', async () => {
      await put(rent(), 0);
      expect(await rejection(put(rent(), 0))).to.be.instanceOf(ConcurrentChangeError);
      await put(rent({ nextIndex: 1, lastDate: '2026-11-01' }), 1);
      expect(await rejection(put(rent({ nextIndex: 5 }), 1))).to.be.instanceOf(ConcurrentChangeError);
      expect((await fixture.recurrences.get(USER, rent().id))!.recurrence.nextIndex).to.equal(1);
      expect(await rejection(fixture.ledger.commit(USER, { months: [], newAlerts: [], recurrence: { write: 'delete', recurrence: rent(), expectedVersion: 1, dueAt: null } })))
        .to.be.instanceOf(ConcurrentChangeError);
      await fixture.ledger.commit(USER, { months: [], newAlerts: [], recurrence: { write: 'delete', recurrence: rent(), expectedVersion: 2, dueAt: null } });
      expect(await fixture.recurrences.get(USER, rent().id)).to.equal(null);
    });

    it('lists what is due across users, soonest first, up to a limit; an ended recurrence is never due', async () => {
      await put(rent(), 0, DUE + 60_000);
      await put(rent({ id: '00000000-0000-4000-8000-000000000002' }), 0, DUE, OTHER);
      await put(rent({ id: '00000000-0000-4000-8000-000000000003' }), 0, DUE + 3_600_000);
      await put(rent({ id: '00000000-0000-4000-8000-000000000004' }), 0, null);
      const due = (await fixture.recurrences.listDue(new Date(DUE + 60_000), 10)).filter((d) => [USER, OTHER].includes(d.userId));
      expect(due).to.deep.equal([{ userId: OTHER, id: '00000000-0000-4000-8000-000000000002' }, { userId: USER, id: rent().id }]);
      expect((await fixture.recurrences.listDue(new Date(DUE + 60_000), 1)).filter((d) => [USER, OTHER].includes(d.userId))).to.have.length(1);
      await put(rent(), 1, null);
      expect((await fixture.recurrences.listDue(new Date(DUE + 60_000), 10)).filter((d) => d.userId === USER)).to.deep.equal([]);
    });

    it('commits an occurrence with the recurrence moving past it, all or nothing', async () => {
      await put(rent(), 0);
      const occurrence = expense({ id: '9a8b7c6d-0000-4000-8000-000000000001', amount: 120_000, category: 'Housing', date: '2026-11-01', recurringId: rent().id });
      const months = [{ totals: applyExpenseChange(emptyMonth('2026-11'), null, occurrence), expectedVersion: 0 }];
      const moved = rent({ nextIndex: 1, lastDate: '2026-11-01' });
      // A stale recurrence version: neither the expense nor the month is written.
      expect(await rejection(fixture.ledger.commit(USER, { months, newAlerts: [], expense: { kind: 'create', expense: occurrence }, recurrence: { write: 'put', recurrence: moved, expectedVersion: 7, dueAt: DUE } })))
        .to.be.instanceOf(ConcurrentChangeError);
      expect(await fixture.ledger.getExpense(USER, occurrence.id)).to.equal(null);
      await fixture.ledger.commit(USER, { months, newAlerts: [], expense: { kind: 'create', expense: occurrence }, recurrence: { write: 'put', recurrence: moved, expectedVersion: 1, dueAt: DUE } });
      expect(await fixture.ledger.getExpense(USER, occurrence.id)).to.deep.equal(occurrence);
      expect((await fixture.recurrences.get(USER, rent().id))!.recurrence.nextIndex).to.equal(1);
      // The same occurrence again: named as existing, nothing written.
      const again = await rejection(fixture.ledger.commit(USER, {
        months: [{ totals: applyExpenseChange(months[0]!.totals, null, occurrence), expectedVersion: 1 }], newAlerts: [],
        expense: { kind: 'create', expense: occurrence }, recurrence: { write: 'put', recurrence: rent({ nextIndex: 2 }), expectedVersion: 2, dueAt: DUE },
      }));
      expect(again).to.be.instanceOf(ExpensesExistError);
      expect((await fixture.recurrences.get(USER, rent().id))!.version).to.equal(2);
    });
  });
}
