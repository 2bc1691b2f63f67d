import { activeCategoryIds, MAX_CATEGORIES, MAX_CATEGORY_NAME_LENGTH, nameKey, type Category } from './category.js';
import { invalidFields } from './errors.js';
import { dayNumber, type Expense, type ExpenseDetails } from './expense.js';
import { decimalToMinorUnits, normalizeNumber, parseDate, type DateFormat, type DecimalSeparator } from './import-format.js';
import { isCurrency, type MinorUnits } from './money.js';

/**
 * Turning the rows of an imported CSV file into expenses: one reading per row (ok, error with the
 * field and reason, or skipped as not spending), a fingerprint that makes re-importing the same
 * row a no-op, and the flag for rows that look like an expense already recorded.
 */

/** The file as parsed: every record with the line it starts on (a quoted field may span lines). */
export interface ImportTable {
  rows: { line: number; cells: string[] }[];
}

/** Which column (by name, see columnNames) holds what. Amount, or debit and credit, must be given. */
export interface ColumnMapping {
  date: string;
  amount?: string;
  debit?: string;
  credit?: string;
  category?: string;
  description?: string;
  /** A stable row id from the exporting app: the row's fingerprint when present. */
  id?: string;
  /** A column naming the kind of row (Firefly III's type): only `spendingTypes` rows are spending. */
  type?: string;
  /** The amount's currency code: a row in another currency than the budget's is an error, never summed as if it were. */
  currency?: string;
  originalAmount?: string;
  originalCurrency?: string;
}

export const MAPPED_COLUMNS = ['date', 'amount', 'debit', 'credit', 'category', 'description', 'id', 'type', 'currency', 'originalAmount', 'originalCurrency'] as const;

/** Where a category named in the file goes: a category id, a new category of that name, or the default category. */
export type CategoryTarget = string;
export const NEW_CATEGORY = 'new';
export const DEFAULT_CATEGORY = 'default';

export interface ImportSettings {
  /** Whether the first record names the columns. */
  header: boolean;
  columns: ColumnMapping;
  dateFormat: DateFormat;
  decimalSeparator: DecimalSeparator;
  /**
   * The sign spending has in the amount column: 'negative' in bank statements and budgeting apps,
   * where money out is negative; rows of the other sign are income and skipped.
   */
  spendingSign: 'positive' | 'negative';
  /** With a type column, the values (ignoring case) that mark spending. */
  spendingTypes: string[];
  categories: { name: string; to: CategoryTarget }[];
  /** The category id of rows without a category, or whose category maps to the default. */
  defaultCategory: string;
}

export interface RowProblem {
  field: string;
  reason: string;
}

/** An expense a row would create; its category is an id, or `new:<name>` for a category the import creates. */
export interface ImportedExpense extends ExpenseDetails {
  /** The file's own category name, if any. */
  fileCategory?: string;
}

export type ReadRow =
  | { line: number; status: 'ok'; expense: ImportedExpense; fingerprint: string; warnings: string[] }
  | { line: number; status: 'error'; problems: RowProblem[] }
  | { line: number; status: 'skipped'; reason: string };

export const MAX_DESCRIPTION_LENGTH = 200;

/** Column names: the header's cells (blank ones and repeats made unique), or Column 1, Column 2, ... */
export function columnNames(table: ImportTable, header: boolean): string[] {
  const width = Math.max(0, ...table.rows.map((row) => row.cells.length));
  const seen = new Map<string, number>();
  return Array.from({ length: width }, (_, i) => {
    const given = header ? (table.rows[0]?.cells[i] ?? '').trim() : '';
    const base = given || `Column ${i + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

/** The records that hold data (all but the header). */
export function dataRows(table: ImportTable, header: boolean): ImportTable['rows'] {
  return header ? table.rows.slice(1) : table.rows;
}

/** Text as an expense may hold it: one line (runs of spaces, tabs and line breaks become one space), no invisible characters. */
export function cleanText(value: string): string {
  return value.replace(/[\p{Cf}\p{Cs}]/gu, '').replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim().normalize('NFC');
}

const newCategoryId = (name: string) => `new:${nameKey(name)}`;

/** A cell a spreadsheet-safe export (OWASP's rule, ours and Actual's) prefixed with ' reads as written. */
function unescapeFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * Reads every data row under `settings` into an expense in `currency`. Category names map through
 * `settings.categories` (matched ignoring case); names the mapping does not list, and rows without
 * a category, go to the default category.
 */
export function readRows(table: ImportTable, settings: ImportSettings, currency: string): ReadRow[] {
  const names = columnNames(table, settings.header);
  const column = (field: keyof ColumnMapping): number => (settings.columns[field] === undefined ? -1 : names.indexOf(settings.columns[field]!));
  const at = Object.fromEntries(Object.keys(settings.columns).map((field) => [field, column(field as keyof ColumnMapping)])) as Record<keyof ColumnMapping, number>;
  const targets = new Map(settings.categories.map(({ name, to }) => [nameKey(cleanText(name)), to === NEW_CATEGORY ? newCategoryId(cleanText(name)) : to]));
  const spendingTypes = new Set(settings.spendingTypes.map(nameKey));
  const occurrences = new Map<string, number>();
  return dataRows(table, settings.header).map(({ line, cells }) => {
    const cell = (field: keyof ColumnMapping): string => (at[field] === undefined || at[field] < 0 ? '' : unescapeFormula((cells[at[field]] ?? '').trim()));
    if (cells.every((value) => value.trim() === '')) return { line, status: 'skipped', reason: 'empty row' };
    if (at.type !== undefined && at.type >= 0 && !spendingTypes.has(nameKey(cell('type')))) {
      return { line, status: 'skipped', reason: `type ${JSON.stringify(cell('type'))} is not spending` };
    }
    const problems: RowProblem[] = [];
    const warnings: string[] = [];
    const date = parseDate(cell('date'), settings.dateFormat);
    if (date === null) {
      problems.push({ field: 'date', reason: cell('date') === '' ? 'is empty' : `${JSON.stringify(cell('date'))} is not a date written ${settings.dateFormat} between 1970 and 2099` });
    }
    const spending = readSpending(cell, settings, currency, at.type !== undefined && at.type >= 0);
    if ('skip' in spending) return { line, status: 'skipped', reason: spending.skip };
    if ('problem' in spending) problems.push(spending.problem);
    if (cell('currency') !== '' && cell('currency').toUpperCase() !== currency) {
      problems.push({ field: 'currency', reason: `is ${cell('currency')}; the budget's amounts are in ${currency}` });
    }
    let original: ExpenseDetails['original'];
    if (cell('originalAmount') !== '' || cell('originalCurrency') !== '') {
      const read = readOriginal(cell('originalAmount'), cell('originalCurrency'), settings.decimalSeparator, currency);
      if ('problem' in read) problems.push(read.problem);
      else original = read.original;
    }
    if (problems.length) return { line, status: 'error', problems };
    let description = cleanText(cell('description'));
    if ([...description].length > MAX_DESCRIPTION_LENGTH) {
      description = [...description].slice(0, MAX_DESCRIPTION_LENGTH).join('');
      warnings.push(`description cut to ${MAX_DESCRIPTION_LENGTH} characters`);
    }
    const fileCategory = cleanText(cell('category'));
    const target = fileCategory ? targets.get(nameKey(fileCategory)) : undefined;
    const category = target === undefined || target === DEFAULT_CATEGORY ? settings.defaultCategory : target;
    const amount = (spending as { units: MinorUnits }).units;
    const id = cell('id');
    let fingerprint: string;
    if (id) fingerprint = `id\u0000${id}`;
    else {
      // Identical rows are told apart by their order of appearance: two coffees of the same price on one day stay two.
      const identical = [date, amount, description].join('\u0000');
      const occurrence = (occurrences.get(identical) ?? 0) + 1;
      occurrences.set(identical, occurrence);
      fingerprint = `row\u0000${identical}\u0000${occurrence}`;
    }
    const expense: ImportedExpense = {
      date: date!, amount, category,
      ...(description ? { description } : {}), ...(original ? { original } : {}), ...(fileCategory ? { fileCategory } : {}),
    };
    return { line, status: 'ok', expense, fingerprint, warnings };
  });
}

type Spending = { units: MinorUnits } | { skip: string } | { problem: RowProblem };

/**
 * The row's spending in minor units from the amount column, or from debit and credit columns.
 * A row a type column marks as spending counts its amount's size, whatever its sign (older
 * Firefly III versions wrote every amount negative).
 */
function readSpending(cell: (field: keyof ColumnMapping) => string, settings: ImportSettings, currency: string, typed: boolean): Spending {
  if (settings.columns.amount !== undefined) {
    const read = readAmount(cell('amount'), 'amount', settings.decimalSeparator, currency);
    if ('problem' in read) return read;
    if (read.units === 0) return { skip: 'amount is 0' };
    if (typed) return { units: Math.abs(read.units) };
    const isSpending = settings.spendingSign === 'negative' ? read.units < 0 : read.units > 0;
    return isSpending ? { units: Math.abs(read.units) } : { skip: settings.spendingSign === 'negative' ? 'positive amount: income' : 'negative amount: a refund or income' };
  }
  const [debit, credit] = [cell('debit'), cell('credit')];
  if (debit === '' && credit === '') return { problem: { field: 'debit', reason: 'debit and credit are both empty' } };
  if (debit === '') {
    const read = readAmount(credit, 'credit', settings.decimalSeparator, currency);
    return 'problem' in read ? read : { skip: 'credit: income' };
  }
  const read = readAmount(debit, 'debit', settings.decimalSeparator, currency);
  if ('problem' in read) return read;
  // Some banks write money out as negative even in a debit column: its size is what was spent.
  return read.units === 0 ? { skip: 'debit is 0' } : { units: Math.abs(read.units) };
}

function readAmount(value: string, field: string, separator: DecimalSeparator, currency: string): { units: MinorUnits } | { problem: RowProblem } {
  if (value === '') return { problem: { field, reason: 'is empty' } };
  const decimal = normalizeNumber(value, separator);
  if (decimal === null) return { problem: { field, reason: `${JSON.stringify(value)} is not a number written with "${separator}" as the decimal separator` } };
  const read = decimalToMinorUnits(decimal, currency);
  return 'problem' in read ? { problem: { field, reason: `${JSON.stringify(value)} ${read.problem}` } } : read;
}

function readOriginal(amount: string, code: string, separator: DecimalSeparator, currency: string): { original: NonNullable<ExpenseDetails['original']> } | { problem: RowProblem } {
  if (!isCurrency(code)) return { problem: { field: 'originalCurrency', reason: `${JSON.stringify(code)} is not an ISO 4217 currency code` } };
  if (code === currency) return { problem: { field: 'originalCurrency', reason: `must differ from the budget's currency ${currency}` } };
  const read = readAmount(amount, 'originalAmount', separator, code);
  if ('problem' in read) return read;
  if (read.units === 0) return { problem: { field: 'originalAmount', reason: 'must not be 0' } };
  return { original: { amount: Math.abs(read.units), currency: code } };
}

/** How far apart (days) an imported row and a recorded expense of the same amount may be to look like one purchase. */
export const DUPLICATE_WINDOW_DAYS = 3;


/**
 * For each expense, a recorded expense of the same amount within DUPLICATE_WINDOW_DAYS (the
 * nearest), if any. `recorded` should leave out expenses the same file created.
 */
export function possibleDuplicates(expenses: Pick<Expense, 'date' | 'amount'>[], recorded: Expense[]): (Expense | null)[] {
  const byAmount = new Map<MinorUnits, Expense[]>();
  for (const expense of recorded) byAmount.set(expense.amount, [...(byAmount.get(expense.amount) ?? []), expense]);
  return expenses.map(({ date, amount }) => {
    let nearest: Expense | null = null;
    for (const candidate of byAmount.get(amount) ?? []) {
      const distance = Math.abs(dayNumber(candidate.date) - dayNumber(date));
      if (distance <= DUPLICATE_WINDOW_DAYS && (!nearest || distance < Math.abs(dayNumber(nearest.date) - dayNumber(date)))) nearest = candidate;
    }
    return nearest;
  });
}

/**
 * A ValidationError naming every setting the file or the user's categories rule out: a column the
 * file does not have, no amount column, a category that is not the user's (or archived), a new
 * category name that cannot be one, or more categories than a user may have.
 */
export function checkSettings(table: ImportTable, settings: ImportSettings, categories: Category[]): void {
  const names = columnNames(table, settings.header);
  const fields: Record<string, string> = {};
  for (const [field, name] of Object.entries(settings.columns)) {
    if (name !== undefined && !names.includes(name)) {
      fields[`columns.${field}`] = `no column is named ${JSON.stringify(name)} (the columns are ${names.map((n) => JSON.stringify(n)).join(', ')})`;
    }
  }
  const { amount, debit, credit } = settings.columns;
  if (amount === undefined && (debit === undefined || credit === undefined)) fields['columns.amount'] = 'map an amount column, or both debit and credit columns';
  if (amount !== undefined && (debit !== undefined || credit !== undefined)) fields['columns.amount'] = 'map either an amount column or debit and credit columns, not both';
  const active = new Set(activeCategoryIds(categories));
  if (!active.has(settings.defaultCategory)) fields.defaultCategory = 'is not one of your categories, or is archived (GET /api/categories lists them)';
  const existingNames = new Set(categories.map((c) => nameKey(c.name)));
  let added = 0;
  settings.categories.forEach(({ name, to }, i) => {
    if (to === NEW_CATEGORY) {
      const clean = cleanText(name);
      if (!clean || [...clean].length > MAX_CATEGORY_NAME_LENGTH) fields[`categories[${i}].name`] = `must be 1 to ${MAX_CATEGORY_NAME_LENGTH} characters to become a category`;
      else if (!existingNames.has(nameKey(clean))) added += 1;
    } else if (to !== DEFAULT_CATEGORY && !active.has(to)) {
      fields[`categories[${i}].to`] = `must be one of your active category ids, "${NEW_CATEGORY}" or "${DEFAULT_CATEGORY}"`;
    }
  });
  if (categories.length + added > MAX_CATEGORIES) fields.categories = `would make ${categories.length + added} categories; at most ${MAX_CATEGORIES}: map some names to existing ones`;
  if (Object.keys(fields).length) throw invalidFields(fields);
}
