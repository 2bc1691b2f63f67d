import { randomUUID } from 'node:crypto';
import { injectable } from 'inversify';
import { compareAlerts, type Alert, type DeliveryState } from '../../domain/alert.js';
import { monthOf, type Expense } from '../../domain/expense.js';
import { emptyMonth } from '../../domain/month-totals.js';
import {
  ConcurrentChangeError, defaultBudgetRecord, ExpensesExistError, IdempotencyKeyTakenError,
  type DeliveryClaim, type ImportBatch, type VersionedImport, type VersionedRecurrence, type ExpensePage, type IdempotencyRecord, type LedgerChange, type LedgerRepository, type ListExpensesQuery,
  type VersionedBudget, type VersionedMonth,
} from '../../application/ports.js';
import type { ImportTable } from '../../domain/import-rows.js';
import { decodeCursor, encodeCursor, listKey } from '../expense-listing.js';

interface StoredAlert { alert: Alert; attempts: number; leaseUntil: number | null; claimToken: string | null }

interface UserLedger {
  expenses: Map<string, Expense>;
  months: Map<string, VersionedMonth>;
  budget: VersionedBudget | null;
  /** When the stale subscriptions are next due for unsubscribing. */
  unsubscribesDueAt: number;
  alerts: Map<string, StoredAlert>;
  idempotency: Map<string, { record: IdempotencyRecord; expiresAt: number }>;
  /** Kept here, beside the expenses, because an import's batch commits with them (see InMemoryImportRepository). */
  imports: Map<string, StoredImport>;
  recurrences: Map<string, VersionedRecurrence>;
  /** Monthly reports (see InMemoryReportRepository): when the next is due (null: off), and one record per month. */
  reports: ReportState;
}

export interface ReportState {
  dueAt: number | null;
  records: Map<string, { sent: boolean; token: string | null; leaseUntil: number; attempts: number }>;
}

export interface StoredImport extends VersionedImport {
  table: ImportTable;
  batches: Map<string, ImportBatch>;
}

/**
 * The repository in process memory: for unit tests and `STORAGE=memory`. Every method copies
 * data in and out, and `commit` checks all its conditions before changing anything, so it keeps
 * the same all-or-nothing behaviour the contract suite proves for DynamoDB.
 */
@injectable()
export class InMemoryLedgerRepository implements LedgerRepository {
  private readonly users = new Map<string, UserLedger>();

  /** A user's imports, for the in-memory import repository, which shares this store. */
  importsOf(userId: string): Map<string, StoredImport> {
    return this.user(userId).imports;
  }

  /** A user's recurring expenses, for the in-memory recurrence repository, which shares this store. */
  recurrencesOf(userId: string): Map<string, VersionedRecurrence> {
    return this.user(userId).recurrences;
  }

  /** A user's monthly reports, for the in-memory report repository, which shares this store. */
  reportsOf(userId: string): ReportState {
    return this.user(userId).reports;
  }

  /** Every user's report schedule (for the due list). */
  allReportSchedules(): { userId: string; dueAt: number }[] {
    return [...this.users.entries()].filter(([, ledger]) => ledger.reports.dueAt !== null).map(([userId, ledger]) => ({ userId, dueAt: ledger.reports.dueAt! }));
  }

  /** Every user's recurring expenses (for the due list). */
  allRecurrences(): { userId: string; stored: VersionedRecurrence }[] {
    return [...this.users.entries()].flatMap(([userId, ledger]) => [...ledger.recurrences.values()].map((stored) => ({ userId, stored })));
  }

  private user(userId: string): UserLedger {
    let ledger = this.users.get(userId);
    if (!ledger) {
      ledger = { expenses: new Map(), months: new Map(), budget: null, unsubscribesDueAt: 0, alerts: new Map(), idempotency: new Map(), imports: new Map(), recurrences: new Map(), reports: { dueAt: null, records: new Map() } };
      this.users.set(userId, ledger);
    }
    return ledger;
  }

  async getExpense(userId: string, id: string): Promise<Expense | null> {
    return copy(this.user(userId).expenses.get(id) ?? null);
  }

  async hasExpenses(userId: string): Promise<boolean> {
    return this.user(userId).expenses.size > 0;
  }

  async listExpenses(userId: string, query: ListExpensesQuery): Promise<ExpensePage> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, query.month);
    const matching = [...this.user(userId).expenses.values()]
      .filter((e) => monthOf(e.date) === query.month && (!query.category || e.category === query.category))
      .map((e) => ({ key: listKey(e), expense: e }))
      .filter(({ key }) => after === null || key < after)
      .sort((a, b) => (a.key < b.key ? 1 : -1));
    const page = matching.slice(0, query.limit);
    const more = matching.length > query.limit;
    return { items: copy(page.map((p) => p.expense)), nextCursor: more ? encodeCursor(page[page.length - 1]!.key) : null };
  }

  async getMonths(userId: string, months: string[]): Promise<VersionedMonth[]> {
    const stored = this.user(userId).months;
    return copy(months.map((month) => stored.get(month) ?? { totals: emptyMonth(month), version: 0 }));
  }

  /** Every expense of the user (for the in-memory export reader, which shares this store). */
  async allExpenses(userId: string): Promise<Expense[]> {
    return copy([...this.user(userId).expenses.values()]);
  }

  async listMonths(userId: string): Promise<VersionedMonth[]> {
    return copy([...this.user(userId).months.values()].sort((a, b) => (a.totals.month < b.totals.month ? -1 : 1)));
  }

  async getMonthRange(userId: string, from: string, to: string | null): Promise<VersionedMonth[]> {
    return (await this.listMonths(userId)).filter((m) => m.totals.month >= from && (to === null || m.totals.month <= to));
  }

  async getRecentMonths(userId: string, through: string, count: number): Promise<VersionedMonth[]> {
    return (await this.listMonths(userId)).filter((m) => m.totals.month <= through).reverse().slice(0, count);
  }

  async getBudget(userId: string): Promise<VersionedBudget> {
    return copy(this.user(userId).budget ?? { record: defaultBudgetRecord(), version: 0 });
  }

  async getIdempotencyRecord(userId: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
    const entry = this.user(userId).idempotency.get(key);
    return entry && entry.expiresAt > now.getTime() ? copy(entry.record) : null;
  }

  async commit(userId: string, change: LedgerChange): Promise<void> {
    const ledger = this.user(userId);
    // Check every condition first: a failed commit must change nothing.
    if (change.idempotency) {
      const existing = ledger.idempotency.get(change.idempotency.key);
      if (existing && existing.expiresAt > change.idempotency.now.getTime()) throw new IdempotencyKeyTakenError();
    }
    for (const { totals, expectedVersion } of change.months) {
      if ((ledger.months.get(totals.month)?.version ?? 0) !== expectedVersion) throw new ConcurrentChangeError();
    }
    const writes = [...(change.expense ? [change.expense] : []), ...(change.expenses ?? [])];
    const existing = writes.filter((w) => w.kind === 'create' && ledger.expenses.has(w.expense.id)).map((w) => w.expense.id);
    if (existing.length) throw new ExpensesExistError(existing);
    for (const write of writes) {
      const stored = ledger.expenses.get(write.expense.id);
      const expected = write.kind === 'create' ? undefined : write.kind === 'replace' ? write.previous : write.expense;
      if (!sameExpense(stored, expected)) throw new ConcurrentChangeError();
    }
    const importBatch = change.importBatch;
    const stored = importBatch ? ledger.imports.get(importBatch.importId) : undefined;
    if (importBatch && (stored?.record.status !== importBatch.status
      || stored.batches.has(importBatch.batch.key) !== (importBatch.write === 'delete'))) throw new ConcurrentChangeError();
    const recurrence = change.recurrence;
    if (recurrence && (ledger.recurrences.get(recurrence.recurrence.id)?.version ?? 0) !== recurrence.expectedVersion) throw new ConcurrentChangeError();
    if (change.budget && (ledger.budget?.version ?? 0) !== change.budget.expectedVersion) throw new ConcurrentChangeError();
    if (change.newAlerts.some((alert) => !change.months.some((m) => m.totals.month === alert.month))) {
      throw new Error('every new alert must belong to a month of the change');
    }

    for (const { totals, expectedVersion } of change.months) {
      ledger.months.set(totals.month, copy({ totals, version: expectedVersion + 1 }));
    }
    for (const write of writes) {
      if (write.kind === 'delete') ledger.expenses.delete(write.expense.id);
      else ledger.expenses.set(write.expense.id, copy(write.expense));
    }
    // As on DynamoDB, an alert item once written is never overwritten (the month's `alerted` list prevents a second one).
    for (const alert of change.newAlerts) {
      if (!ledger.alerts.has(alert.id)) ledger.alerts.set(alert.id, { alert: copy(alert), attempts: 0, leaseUntil: null, claimToken: null });
    }
    if (change.budget) this.storeBudget(ledger, change.budget);
    if (recurrence?.write === 'put') {
      ledger.recurrences.set(recurrence.recurrence.id, copy({ recurrence: recurrence.recurrence, version: recurrence.expectedVersion + 1, dueAt: recurrence.dueAt }));
    }
    if (recurrence?.write === 'delete') ledger.recurrences.delete(recurrence.recurrence.id);
    if (change.reportSchedule) ledger.reports.dueAt = change.reportSchedule.write === 'put' ? change.reportSchedule.dueAt : null;
    if (importBatch?.write === 'put') stored!.batches.set(importBatch.batch.key, copy(importBatch.batch));
    if (importBatch?.write === 'delete') stored!.batches.delete(importBatch.batch.key);
    if (change.idempotency) {
      ledger.idempotency.set(change.idempotency.key, { record: copy(change.idempotency.record), expiresAt: change.idempotency.expiresAt.getTime() });
    }
  }

  /**
   * Stores the budget if it is still at its expected version (ConcurrentChangeError otherwise),
   * synchronously: the in-memory category repository writes its list in the same step.
   */
  commitBudget(userId: string, budget: NonNullable<LedgerChange['budget']>): void {
    const ledger = this.user(userId);
    if ((ledger.budget?.version ?? 0) !== budget.expectedVersion) throw new ConcurrentChangeError();
    this.storeBudget(ledger, budget);
  }

  private storeBudget(ledger: UserLedger, budget: NonNullable<LedgerChange['budget']>): void {
    // Stale subscriptions entering the queue are due at once; a postponement already made stays.
    if (!Object.keys(ledger.budget?.record.staleSubscriptions ?? {}).length) ledger.unsubscribesDueAt = 0;
    ledger.budget = copy({ record: budget.record, version: budget.expectedVersion + 1 });
  }

  async listAlerts(userId: string, month: string): Promise<Alert[]> {
    return copy([...this.user(userId).alerts.values()].map((s) => s.alert).filter((a) => a.month === month).sort(compareAlerts));
  }

  async listDueAlerts(now: Date, limit: number): Promise<{ userId: string; alert: Alert }[]> {
    const due: { userId: string; alert: Alert; dueAt: number }[] = [];
    for (const [userId, ledger] of this.users) {
      for (const { alert, leaseUntil } of ledger.alerts.values()) {
        const dueAt = leaseUntil ?? Date.parse(alert.createdAt);
        if (alert.delivery === 'pending' && dueAt <= now.getTime()) due.push({ userId, alert, dueAt });
      }
    }
    due.sort((a, b) => a.dueAt - b.dueAt || compareAlerts(a.alert, b.alert));
    return copy(due.slice(0, limit).map(({ userId, alert }) => ({ userId, alert })));
  }

  async claimAlertDelivery(userId: string, alertId: string, now: Date, leaseMs: number): Promise<DeliveryClaim | null> {
    const stored = this.user(userId).alerts.get(alertId);
    if (!stored || stored.alert.delivery !== 'pending' || (stored.leaseUntil !== null && stored.leaseUntil > now.getTime())) return null;
    stored.attempts += 1;
    stored.leaseUntil = now.getTime() + leaseMs;
    stored.claimToken = randomUUID();
    return { attempts: stored.attempts, token: stored.claimToken };
  }

  async settleAlertDelivery(userId: string, alertId: string, claim: DeliveryClaim, delivery: DeliveryState, retryAt?: Date): Promise<void> {
    const stored = this.user(userId).alerts.get(alertId);
    if (!stored || stored.claimToken !== claim.token || stored.alert.delivery !== 'pending') return;
    stored.alert.delivery = delivery;
    stored.leaseUntil = delivery === 'pending' && retryAt ? retryAt.getTime() : null;
    stored.claimToken = null;
  }

  async listDueUnsubscribes(now: Date, limit: number): Promise<string[]> {
    return [...this.users.entries()]
      .filter(([, ledger]) => ledger.budget && Object.keys(ledger.budget.record.staleSubscriptions).length && ledger.unsubscribesDueAt <= now.getTime())
      .slice(0, limit)
      .map(([userId]) => userId);
  }

  async forgetStaleSubscription(userId: string, subscriptionArn: string): Promise<void> {
    delete this.user(userId).budget?.record.staleSubscriptions[subscriptionArn];
  }

  async postponeUnsubscribes(userId: string, retryAt: Date): Promise<void> {
    this.user(userId).unsubscribesDueAt = retryAt.getTime();
  }
}

function sameExpense(a: Expense | undefined, b: Expense | undefined): boolean {
  if (!a || !b) return a === b;
  return a.amount === b.amount && a.category === b.category && a.date === b.date && a.description === b.description
    && a.original?.amount === b.original?.amount && a.original?.currency === b.original?.currency && a.recurringId === b.recurringId
    && a.createdAt === b.createdAt && a.updatedAt === b.updatedAt;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
