import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { monthOf, type Expense } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { localMonth } from '../../domain/time-zone.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { requireImport } from '../import-plan.js';
import { retryOnConflict, spendOneWrite, UserWriteQueue } from '../ledger-write.js';
import { batchRoom, MonthWriter } from '../month-writes.js';
import {
  MAX_IMPORTS_PER_CHANGE, TOKENS, type BudgetRecord, type Clock, type ImportBatch, type ImportRepository, type LedgerRepository, type VersionedImport,
} from '../ports.js';
import { DeliverAlerts } from './deliver-alerts.js';
import { MERGE_TIME_BUDGET_MS } from './delete-category.js';

/**
 * Undoes an import as a whole: each committed batch's expenses that still exist (as they are now,
 * edits included) are deleted with their month's totals and the batch's record in one transaction,
 * so totals are exact at every moment. The import first turns `undoing`, which stops any commit of
 * it still running; like the commit, one request stops after MERGE_TIME_BUDGET_MS and is repeated.
 */
@injectable()
export class UndoImport {
  constructor(
    @inject(TOKENS.ImportRepository) private readonly imports: ImportRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, id: string): Promise<{ removed: number; remaining?: number }> {
    const deadline = this.clock.now().getTime() + MERGE_TIME_BUDGET_MS;
    const stored = await requireImport(this.imports, userId, id);
    if (stored.record.status === 'undone') return { removed: 0 };
    await spendOneWrite(this.ledger, this.writes, this.writeRateLimit, userId, this.clock.now());
    if (stored.record.status !== 'undoing') await this.markUndoing(userId, stored);
    const batches = await this.imports.listBatches(userId, id);
    let removed = 0;
    for (const [index, batch] of batches.entries()) {
      if (index > 0 && this.clock.now().getTime() >= deadline) {
        return { removed, remaining: batches.slice(index).reduce((sum, b) => sum + b.expenseIds.length, 0) };
      }
      for (let done = false; !done;) {
        const step = await this.writes.run(userId, () => retryOnConflict(() => this.removeStep(userId, id, batch)));
        removed += step.removed;
        await this.deliverAlerts.afterCommit(userId, step.alerts, step.record);
        done = step.batchDone;
      }
    }
    // A concurrent undo may have finished first: that is the same outcome.
    await retryOnConflict(async () => {
      const current = await requireImport(this.imports, userId, id);
      if (current.record.status !== 'undone') await this.imports.save(userId, { ...current.record, status: 'undone' }, current.version);
    });
    return { removed };
  }

  /** From now on no batch of a commit still running can land (each checks the import is committing). */
  private async markUndoing(userId: string, stored: VersionedImport): Promise<void> {
    await retryOnConflict(async () => {
      const current = await requireImport(this.imports, userId, stored.record.id);
      if (current.record.status === 'undone' || current.record.status === 'undoing') return;
      await this.imports.save(userId, { ...current.record, status: 'undoing' }, current.version);
    });
  }

  /**
   * One transaction. Usually the batch's expenses that still exist, their month's totals and the
   * batch's record. An expense since moved to another month goes first, alone with its month's
   * totals (so no transaction outgrows DynamoDB's 100 items), and the batch is read again.
   */
  private async removeStep(userId: string, importId: string, batch: ImportBatch): Promise<{ removed: number; batchDone: boolean; alerts: Alert[]; record: BudgetRecord }> {
    const now = this.clock.now();
    const found = await Promise.all(batch.expenseIds.map((id) => this.ledger.getExpense(userId, id)));
    const expenses = found.filter((e): e is Expense => e !== null);
    const moved = expenses.find((e) => monthOf(e.date) !== batch.month);
    const month = moved ? monthOf(moved.date) : batch.month;
    const read = await this.monthWriter.read(userId, [month], now);
    const { budget } = read;
    // Carry-over and forecasts may write more months: then the batch goes in parts, its record with the last.
    const room = batchRoom(read, MAX_IMPORTS_PER_CHANGE);
    const partial = moved !== undefined || expenses.length > room;
    const deleting = moved ? [moved] : expenses.slice(0, room);
    const totals = deleting.reduce((t, e) => applyExpenseChange(t, e, null), read.months.get(month)!.totals);
    // The alert rule applies after every write to a month (a limit lowered since may be crossed
    // still); as for the import, months already over record their alerts without an email.
    const change = await this.monthWriter.plan(userId, read, [totals], now, { suppressBefore: localMonth(now, read.rules.budget.timeZone) });
    await this.ledger.commit(userId, {
      ...change,
      expenses: deleting.map((expense) => ({ kind: 'delete', expense })),
      // Conditional on the budget as every user write is; the request's one write was spent first.
      budget: { record: budget.record, expectedVersion: budget.version },
      ...(partial ? {} : { importBatch: { importId, status: 'undoing', write: 'delete', batch } }),
    });
    return { removed: deleting.length, batchDone: !partial, alerts: change.newAlerts, record: budget.record };
  }
}
