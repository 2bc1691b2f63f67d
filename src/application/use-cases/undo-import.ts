import { inject, injectable } from 'inversify';
import { ImportStateError } from '../../domain/errors.js';
import { monthOf, type Expense } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { requireImport } from '../import-plan.js';
import { retryOnConflict, spendOneWrite, UserWriteQueue } from '../ledger-write.js';
import { TOKENS, type Clock, type ImportBatch, type ImportRepository, type LedgerRepository, type VersionedImport } from '../ports.js';
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
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, id: string): Promise<{ removed: number; remaining?: number }> {
    const deadline = this.clock.now().getTime() + MERGE_TIME_BUDGET_MS;
    let stored = await requireImport(this.imports, userId, id);
    if (stored.record.status === 'undone') return { removed: 0 };
    await spendOneWrite(this.ledger, this.writes, this.writeRateLimit, userId, this.clock.now());
    if (stored.record.status !== 'undoing') stored = await this.markUndoing(userId, stored);
    const batches = await this.imports.listBatches(userId, id);
    let removed = 0;
    for (const [index, batch] of batches.entries()) {
      if (index > 0 && this.clock.now().getTime() >= deadline) {
        return { removed, remaining: batches.slice(index).reduce((sum, b) => sum + b.expenseIds.length, 0) };
      }
      for (let done = false; !done;) {
        const step = await this.writes.run(userId, () => retryOnConflict(() => this.removeStep(userId, id, batch)));
        removed += step.removed;
        done = step.batchDone;
      }
    }
    await this.imports.save(userId, { ...stored.record, status: 'undone' }, stored.version);
    return { removed };
  }

  private async markUndoing(userId: string, stored: VersionedImport): Promise<VersionedImport> {
    return retryOnConflict(async () => {
      const current = await requireImport(this.imports, userId, stored.record.id);
      if (current.record.status === 'undone') throw new ImportStateError('This import was undone meanwhile');
      const record = { ...current.record, status: 'undoing' as const };
      await this.imports.save(userId, record, current.version);
      return { record, version: current.version + 1 };
    });
  }

  /**
   * One transaction. Usually the batch's expenses that still exist, their month's totals and the
   * batch's record. An expense since moved to another month goes first, alone with its month's
   * totals (so no transaction outgrows DynamoDB's 100 items), and the batch is read again.
   */
  private async removeStep(userId: string, importId: string, batch: ImportBatch): Promise<{ removed: number; batchDone: boolean }> {
    const [budget, found] = await Promise.all([
      this.ledger.getBudget(userId), Promise.all(batch.expenseIds.map((id) => this.ledger.getExpense(userId, id))),
    ]);
    const expenses = found.filter((e): e is Expense => e !== null);
    const moved = expenses.find((e) => monthOf(e.date) !== batch.month);
    const deleting = moved ? [moved] : expenses;
    const [before] = await this.ledger.getMonths(userId, [moved ? monthOf(moved.date) : batch.month]);
    const totals = deleting.reduce((t, e) => applyExpenseChange(t, e, null), before!.totals);
    await this.ledger.commit(userId, {
      months: [{ totals, expectedVersion: before!.version }],
      newAlerts: [],
      expenses: deleting.map((expense) => ({ kind: 'delete', expense })),
      // Conditional on the budget as every user write is; the request's one write was spent first.
      budget: { record: budget.record, expectedVersion: budget.version },
      ...(moved ? {} : { importBatch: { importId, status: 'undoing', write: 'delete', batch } }),
    });
    return { removed: deleting.length, batchDone: !moved };
  }
}
