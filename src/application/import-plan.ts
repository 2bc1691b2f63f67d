import { hashedUuid } from './hashed-id.js';
import { addDays, EARLIEST_DATE, LATEST_DATE, monthOf, type Expense } from '../domain/expense.js';
import type { Category } from '../domain/category.js';
import {
  checkSettings, possibleDuplicates, readRows, DUPLICATE_WINDOW_DAYS, type ImportedExpense, type ImportSettings, type ImportTable, type RowProblem,
} from '../domain/import-rows.js';
import { NotFoundError } from '../domain/errors.js';
import { EXPORT_PAGE_SIZE } from './use-cases/export-expenses.js';
import type { CategoryRepository, ExpenseExportReader, ImportRepository, LedgerRepository, VersionedImport } from './ports.js';

/**
 * What importing a file would do, row by row:
 * - ok: a new expense;
 * - duplicate: a new expense that looks like one already recorded (same amount, dates at most
 *   DUPLICATE_WINDOW_DAYS apart), imported only if the user says so;
 * - recorded: this very row was imported before (its fingerprint's expense exists): never twice;
 * - error: a field cannot be read (the line, the field and why);
 * - skipped: not spending (income, a zero amount, an empty row).
 */
export type PlannedRow =
  | { line: number; status: 'ok' | 'recorded'; id: string; expense: ImportedExpense; warnings: string[] }
  | { line: number; status: 'duplicate'; id: string; expense: ImportedExpense; warnings: string[]; duplicateOf: Expense }
  | { line: number; status: 'error'; problems: RowProblem[] }
  | { line: number; status: 'skipped'; reason: string };

export type RowStatus = PlannedRow['status'];

/** The draft, or a NotFoundError. */
export async function requireImport(imports: ImportRepository, userId: string, id: string): Promise<VersionedImport> {
  const found = await imports.get(userId, id);
  if (!found) throw new NotFoundError(`No import with id ${id}`);
  return found;
}

/**
 * The expense id a row's fingerprint stands for. The same row imported again (the same file, an
 * overlapping one) gets the same id, so its conditional create fails instead of making a copy. An
 * id column holding a UUID (this product's own export) keeps that UUID; any other fingerprint is
 * hashed into one.
 */
export function importedExpenseId(fingerprint: string): string {
  const id = fingerprint.startsWith('id\u0000') ? fingerprint.slice(3) : '';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return id;
  return hashedUuid(fingerprint);
}

/**
 * Plans every row of the file: reads them (readRows) and compares them with what the user has
 * recorded in the months they span (eventually consistent: the preview's view; the commit's own
 * conditional creates are what keep a row from being recorded twice).
 */
export async function planImport(reader: ExpenseExportReader, userId: string, table: ImportTable, settings: ImportSettings, currency: string): Promise<PlannedRow[]> {
  const read = readRows(table, settings, currency);
  const rows: PlannedRow[] = read.map((row) => (row.status === 'ok' ? { ...row, id: importedExpenseId(row.fingerprint) } : row));
  const dates = rows.flatMap((row) => ('expense' in row ? [row.expense.date] : [])).sort();
  if (dates.length === 0) return rows;
  const recorded = await recordedBetween(reader, userId, shiftDays(dates[0]!, -DUPLICATE_WINDOW_DAYS), shiftDays(dates[dates.length - 1]!, DUPLICATE_WINDOW_DAYS));
  const recordedIds = new Set(recorded.map((e) => e.id));
  const fileIds = new Set(rows.flatMap((row) => ('id' in row ? [row.id] : [])));
  // An expense this file created (an earlier commit of it, or of an overlapping file) is a row of the file, not a duplicate of one.
  const others = recorded.filter((e) => !fileIds.has(e.id));
  const fresh = rows.filter((row): row is Extract<PlannedRow, { status: 'ok' | 'recorded' }> => row.status === 'ok' && !recordedIds.has(row.id));
  const matches = possibleDuplicates(fresh.map((row) => row.expense), others);
  const duplicateOf = new Map(fresh.map((row, i) => [row.line, matches[i]]));
  return rows.map((row) => {
    if (row.status !== 'ok') return row;
    if (recordedIds.has(row.id)) return { ...row, status: 'recorded' };
    const match = duplicateOf.get(row.line);
    return match ? { ...row, status: 'duplicate', duplicateOf: match } : row;
  });
}

async function recordedBetween(reader: ExpenseExportReader, userId: string, from: string, to: string): Promise<Expense[]> {
  const expenses: Expense[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.readPage(userId, { from: monthOf(from), to: monthOf(to) }, EXPORT_PAGE_SIZE, cursor);
    expenses.push(...page.expenses.filter((e) => e.date >= from && e.date <= to));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return expenses;
}

function shiftDays(date: string, days: number): string {
  const shifted = addDays(date, days);
  // Keep within the supported range: the reader reads months from 1970 to 2099.
  return shifted < EARLIEST_DATE ? EARLIEST_DATE : shifted > LATEST_DATE ? LATEST_DATE : shifted;
}

/**
 * Reads the uploaded file with the user's categories and budget, checks the settings against them
 * and plans every row: what a preview shows and a commit does.
 */
export async function planStoredImport(
  ports: { imports: ImportRepository; ledger: LedgerRepository; categories: CategoryRepository; reader: ExpenseExportReader },
  userId: string, id: string, settings: ImportSettings,
): Promise<{ table: ImportTable; categories: Category[]; currency: string; rows: PlannedRow[] }> {
  const [table, budget, { categories }] = await Promise.all([
    ports.imports.getTable(userId, id), ports.ledger.getBudget(userId), ports.categories.getCategories(userId),
  ]);
  checkSettings(table, settings, categories);
  const currency = budget.record.budget.currency;
  return { table, categories, currency, rows: await planImport(ports.reader, userId, table, settings, currency) };
}

/** How many rows have each status. */
export function countStatuses(rows: PlannedRow[]): Record<RowStatus, number> {
  const counts: Record<RowStatus, number> = { ok: 0, duplicate: 0, recorded: 0, error: 0, skipped: 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}
