import { createHash, randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { nameKey, nextColor, type Category } from '../../domain/category.js';
import { ImportStateError, ValidationError } from '../../domain/errors.js';
import { monthOf, type Expense } from '../../domain/expense.js';
import { cleanText, NEW_CATEGORY, type ImportSettings } from '../../domain/import-rows.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { localMonth } from '../../domain/time-zone.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { CategoryWriter } from '../category-write.js';
import { planStoredImport, requireImport, type PlannedRow } from '../import-plan.js';
import { retryOnConflict, spendOneWrite, UserWriteQueue } from '../ledger-write.js';
import { batchRoom, MonthWriter } from '../month-writes.js';
import {
  ExpensesExistError, MAX_IMPORTS_PER_CHANGE, TOKENS,
  type BudgetRecord, type CategoryRepository, type Clock, type ExpenseExportReader, type ImportRecord, type ImportRepository, type ImportResult,
  type LedgerRepository, type VersionedImport,
} from '../ports.js';
import { DeliverAlerts } from './deliver-alerts.js';
import { MERGE_TIME_BUDGET_MS } from './delete-category.js';

/** The user's choices beyond the settings: what happens to possible duplicates, and rows picked by line. */
export interface CommitChoices {
  /** Required when the file has possible duplicates: skip them all, or import them all. */
  duplicates?: 'skip' | 'import';
  /** Lines imported whatever `duplicates` says (possible duplicates the user kept). */
  include: number[];
  /** Lines left out (rows the user unticked). */
  exclude: number[];
}

export type CommitOutcome = ImportResult & { status: 'committed' } | { status: 'committing'; imported: number; remaining: number };

type Kept = Extract<PlannedRow, { id: string }>;

/**
 * Commits an import: the kept rows become expenses in batches, each batch up to
 * MAX_IMPORTS_PER_CHANGE expenses of one month with that month's totals and the batch's record in
 * one transaction, so totals are exact at every moment and nothing is written row by row.
 *
 * Exactly once: every row's expense id comes from its fingerprint and is created only if absent,
 * so a repeated commit (after a timeout, a crash, a double click) or an overlapping file skips what
 * exists. Like a category merge, one request stops between batches after MERGE_TIME_BUDGET_MS and
 * answers `committing`: the caller repeats it, with the same choices, to carry on.
 *
 * Alerts of months before the current one (the user's time zone) are recorded as suppressed: no
 * email about last year's spending. The current month alerts as usual, once per threshold.
 */
@injectable()
export class CommitImport {
  constructor(
    @inject(TOKENS.ImportRepository) private readonly imports: ImportRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.ExpenseExportReader) private readonly reader: ExpenseExportReader,
    @inject(CategoryWriter) private readonly categoryWriter: CategoryWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, id: string, settings: ImportSettings, choices: CommitChoices): Promise<CommitOutcome> {
    const deadline = this.clock.now().getTime() + MERGE_TIME_BUDGET_MS;
    const commitKey = createHash('sha256').update(JSON.stringify([settings, choices])).digest('hex');
    let stored = await requireImport(this.imports, userId, id);
    const { status } = stored.record;
    if (status === 'undoing' || status === 'undone') throw new ImportStateError(`This import was undone${status === 'undoing' ? ' (in progress)' : ''}: upload the file again to import it`);
    if (status !== 'draft' && stored.record.commitKey !== commitKey) {
      throw new ImportStateError(status === 'committed'
        ? 'This import was committed with other choices: undo it (DELETE) to import the file differently'
        : 'A commit of this import with other choices is in progress: repeat it with the same body to finish it, or undo it');
    }
    if (status === 'committed') return { status, ...stored.record.result! };

    const { categories, rows: plan } = await planStoredImport({ imports: this.imports, ledger: this.ledger, categories: this.categories, reader: this.reader }, userId, id, settings);
    const kept = keptRows(plan, choices);
    await spendOneWrite(this.ledger, this.writes, this.writeRateLimit, userId, this.clock.now());
    if (stored.record.status === 'draft') {
      stored = await this.saveRecord(userId, stored, { ...stored.record, status: 'committing', commitKey });
    }
    const categoryIds = await this.createCategories(userId, id, settings, kept, categories);
    const batches = batchesOf(kept.filter((row) => row.status !== 'recorded'), categoryIds);
    let imported = 0;
    for (const [index, batch] of batches.entries()) {
      // At least one batch per request, so every repeat makes progress however slow the planning was.
      if (index > 0 && this.clock.now().getTime() >= deadline) {
        const remaining = batches.slice(index).reduce((sum, b) => sum + b.length, 0);
        return { status: 'committing', imported, remaining };
      }
      const done = await this.writes.run(userId, () => this.commitBatch(userId, id, batch));
      imported += done.created;
      if (done.record) await this.deliverAlerts.afterCommit(userId, done.alerts, done.record);
    }
    return this.finish(userId, stored, plan);
  }

  /**
   * Creates the categories the kept rows map to "new" (each once: a repeated commit finds them by
   * name) and answers the id of each, by the name's key.
   */
  private async createCategories(userId: string, importId: string, settings: ImportSettings, kept: Kept[], categories: Category[]): Promise<Map<string, string>> {
    const wanted = new Map(settings.categories.filter((c) => c.to === NEW_CATEGORY).map((c) => [nameKey(cleanText(c.name)), cleanText(c.name)]));
    const used = [...new Set(kept.map((row) => row.expense.category).filter((c) => c.startsWith('new:')).map((c) => c.slice(4)))];
    const ids = new Map<string, string>();
    const missing = used.filter((key) => !categories.some((c) => nameKey(c.name) === key));
    for (const c of categories) if (used.includes(nameKey(c.name))) ids.set(nameKey(c.name), c.id);
    if (missing.length === 0) return ids;
    return this.categoryWriter.change(userId, (stored) => {
      const added: Category[] = [];
      for (const key of missing) {
        const existing = stored.find((c) => nameKey(c.name) === key);
        if (existing) { ids.set(key, existing.id); continue; }
        const category: Category = { id: categoryIdFor(importId, key), name: wanted.get(key)!, color: nextColor([...stored, ...added]), archived: false };
        added.push(category);
        ids.set(key, category.id);
      }
      return { categories: [...stored, ...added], result: ids };
    });
  }

  /**
   * The batch's expenses that do not exist yet, their month's totals and the batch's record, in one
   * transaction conditional on the budget and on the import still committing (in more than one
   * when carry-over or a forecast adds months to write). Expenses found to exist already (recorded
   * meanwhile) leave the batch and it is tried again without them.
   */
  private async commitBatch(userId: string, importId: string, rows: Kept[]): Promise<{ created: number; alerts: Alert[]; record: BudgetRecord | null }> {
    let pending = rows;
    const result = { created: 0, alerts: [] as Alert[], record: null as BudgetRecord | null };
    while (pending.length > 0) {
      let retried = false;
      const done = await retryOnConflict(async () => {
        // A lost race may be an undo that began meanwhile (its batches check the import is committing): say so, do not retry.
        if (retried && (await requireImport(this.imports, userId, importId)).record.status !== 'committing') {
          throw new ImportStateError('This import is being undone: the commit stopped');
        }
        retried = true;
        const now = this.clock.now();
        const month = monthOf(pending[0]!.expense.date);
        const read = await this.monthWriter.read(userId, [month], now);
        const { budget } = read;
        const chunk = pending.slice(0, batchRoom(read, MAX_IMPORTS_PER_CHANGE));
        let totals = read.months.get(month)!.totals;
        const expenses: Expense[] = chunk.map((row) => {
          const { fileCategory: _fromFile, ...details } = row.expense;
          const expense: Expense = { id: row.id, ...details, createdAt: now.toISOString(), updatedAt: now.toISOString() };
          totals = applyExpenseChange(totals, null, expense);
          return expense;
        });
        const change = await this.monthWriter.plan(userId, read, [totals], now, { suppressBefore: localMonth(now, read.rules.budget.timeZone) });
        try {
          await this.ledger.commit(userId, {
            ...change,
            expenses: expenses.map((expense) => ({ kind: 'create', expense })),
            // Conditional on the budget the batch was decided on (currency, categories); the request's one write was spent first.
            budget: { record: budget.record, expectedVersion: budget.version },
            importBatch: { importId, status: 'committing', write: 'put', batch: { key: `${month}#${chunk[0]!.line}#${randomUUID()}`, month, expenseIds: expenses.map((e) => e.id) } },
          });
        } catch (error) {
          if (!(error instanceof ExpensesExistError)) throw error;
          const existing = new Set(error.ids);
          pending = pending.filter((row) => !existing.has(row.id));
          if (pending.length === 0) return { created: 0, taken: 0, alerts: [], record: budget.record };
          throw error;
        }
        return { created: expenses.length, taken: chunk.length, alerts: change.newAlerts, record: budget.record };
      });
      pending = pending.slice(done.taken);
      result.created += done.created;
      result.alerts.push(...done.alerts);
      result.record = done.record;
    }
    return result;
  }

  /** Marks the import committed with its counts: imported from its batch records, so a repeated commit counts each row once. */
  private async finish(userId: string, stored: VersionedImport, plan: PlannedRow[]): Promise<CommitOutcome> {
    const batches = await this.imports.listBatches(userId, stored.record.id);
    const imported = batches.reduce((sum, b) => sum + b.expenseIds.length, 0);
    const rejected = plan.filter((row) => row.status === 'error').length;
    const result: ImportResult = { imported, skipped: plan.length - imported - rejected, rejected };
    const months = [...new Set(batches.map((b) => b.month))].sort();
    await this.saveRecord(userId, stored, { ...stored.record, status: 'committed', result, months });
    return { status: 'committed', ...result };
  }

  /** Saves the record at the version read; a commit or undo racing this one wins, and this one is told. */
  private async saveRecord(userId: string, stored: VersionedImport, record: ImportRecord): Promise<VersionedImport> {
    try {
      await this.imports.save(userId, record, stored.version);
    } catch (error) {
      const now = await requireImport(this.imports, userId, record.id);
      if (now.record.status === record.status && now.record.commitKey === record.commitKey) return now;
      if (now.record.status === 'undoing' || now.record.status === 'undone') throw new ImportStateError('This import was undone meanwhile');
      throw error;
    }
    return { record, version: stored.version + 1 };
  }
}

/** The rows to import: ok ones and already recorded ones (counted, not written again), possible duplicates as chosen, minus excluded lines. */
function keptRows(plan: PlannedRow[], choices: CommitChoices): Kept[] {
  const include = new Set(choices.include);
  const exclude = new Set(choices.exclude);
  const duplicates = plan.filter((row) => row.status === 'duplicate' && !include.has(row.line) && !exclude.has(row.line));
  if (duplicates.length > 0 && choices.duplicates === undefined) {
    throw new ValidationError({
      duplicates: `${duplicates.length} row${duplicates.length > 1 ? 's look' : ' looks'} like expenses already recorded (lines ${duplicates.slice(0, 10).map((r) => r.line).join(', ')}${duplicates.length > 10 ? ', ...' : ''}): `
        + 'say "skip" or "import", or list their lines in include or exclude',
    }, 'Invalid field: duplicates');
  }
  const errors = plan.filter((row) => row.status === 'error' && include.has(row.line)).map((row) => row.line);
  if (errors.length) throw new ValidationError({ include: `lines ${errors.join(', ')} have errors and cannot be imported` }, 'Invalid field: include');
  return plan.filter((row): row is Kept => {
    if (!('id' in row) || exclude.has(row.line)) return false;
    return row.status !== 'duplicate' || include.has(row.line) || choices.duplicates === 'import';
  });
}

/** Rows grouped by month, in file order, in batches of at most MAX_IMPORTS_PER_CHANGE; new categories resolved to their ids. */
function batchesOf(rows: Kept[], categoryIds: Map<string, string>): Kept[][] {
  const byMonth = new Map<string, Kept[]>();
  for (const row of rows) {
    const category = row.expense.category.startsWith('new:') ? categoryIds.get(row.expense.category.slice(4))! : row.expense.category;
    const month = monthOf(row.expense.date);
    if (!byMonth.has(month)) byMonth.set(month, []);
    byMonth.get(month)!.push({ ...row, expense: { ...row.expense, category } });
  }
  const batches: Kept[][] = [];
  for (const month of [...byMonth.keys()].sort()) {
    const monthRows = byMonth.get(month)!;
    for (let i = 0; i < monthRows.length; i += MAX_IMPORTS_PER_CHANGE) batches.push(monthRows.slice(i, i + MAX_IMPORTS_PER_CHANGE));
  }
  return batches;
}

/** A new category's id, the same for the same import and name: a repeated commit that lost its first answer creates it once. */
function categoryIdFor(importId: string, key: string): string {
  return createHash('sha256').update(`${importId}\u0000${key}`).digest('base64url').slice(0, 12);
}
