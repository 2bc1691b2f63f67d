import { activeCategoryIds, MAX_CATEGORIES, nameKey, type Category } from './category.js';
import {
  DATE_FORMATS, DECIMAL_SEPARATORS, dateFormatsOf, decimalSeparatorsOf, normalizeNumber, parseDate, type DateFormat, type DecimalSeparator,
} from './import-format.js';
import {
  cleanText, columnNames, dataRows, DEFAULT_CATEGORY, NEW_CATEGORY,
  type CategoryTarget, type ColumnMapping, type ImportSettings, type ImportTable,
} from './import-rows.js';

/**
 * What an uploaded file most likely is: a known app's export (by its header), or a spreadsheet or
 * bank statement whose columns are found by their names. Everything found is a suggestion the
 * user confirms in the preview; a date format or decimal separator the values leave open is asked.
 */

export type PresetId = 'export' | 'actual' | 'firefly' | 'bank';

interface Preset {
  id: PresetId;
  /** Header names (lower case) the file must have. */
  requires: string[];
  settings: (names: Map<string, string>) => Partial<Omit<ImportSettings, 'columns'>> & { columns: Partial<ColumnMapping> };
}

const PRESETS: Preset[] = [
  {
    // This product's own export (GET /api/export).
    id: 'export',
    requires: ['date', 'amount', 'currency', 'category', 'description', 'original_amount', 'original_currency', 'id'],
    settings: (n) => ({
      columns: pick(n, { date: 'date', amount: 'amount', currency: 'currency', category: 'category', description: 'description', id: 'id', originalAmount: 'original_amount', originalCurrency: 'original_currency' }),
      dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', spendingSign: 'positive',
    }),
  },
  {
    // Actual Budget's account export: Account,Date,Payee,Notes,[Category_Group,]Category,Amount,[Split_Amount,]Cleared.
    // Money out is negative; a split's parent row has Amount 0 (skipped) and its parts follow.
    id: 'actual',
    requires: ['account', 'date', 'payee', 'notes', 'category', 'amount', 'cleared'],
    settings: (n) => ({
      columns: pick(n, { date: 'date', amount: 'amount', category: 'category', description: 'payee' }),
      dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', spendingSign: 'negative',
    }),
  },
  {
    // Firefly III's transaction export: only withdrawals are spending; journal_id identifies a row.
    id: 'firefly',
    requires: ['journal_id', 'type', 'amount', 'currency_code', 'description', 'date', 'category'],
    settings: (n) => ({
      columns: pick(n, {
        date: 'date', amount: 'amount', category: 'category', description: 'description', id: 'journal_id', type: 'type',
        currency: 'currency_code', originalAmount: 'foreign_amount', originalCurrency: 'foreign_currency_code',
      }),
      spendingTypes: ['Withdrawal'], dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', spendingSign: 'negative',
    }),
  },
];

/** Column names by what they hold, in the languages of the banks people most often export from. */
const SYNONYMS: [keyof ColumnMapping, RegExp][] = [
  ['date', /^(date|transaction date|booking date|posted date|datum|buchungstag|buchungsdatum|valuta|wertstellung|fecha|data|date opération|date operation)$/],
  ['amount', /^(amount|betrag|montant|importe|importo|bedrag|value|sum|amount \(.*\)|betrag \(.*\))$/],
  ['debit', /^(debit|debit amount|withdrawal|withdrawals|money out|paid out|soll|ausgang|débit)$/],
  ['credit', /^(credit|credit amount|deposit|deposits|money in|paid in|haben|eingang|crédit)$/],
  ['category', /^(category|kategorie|catégorie|categoria|categoría)$/],
  ['description', /^(description|payee|memo|merchant|name|details|narrative|verwendungszweck|beschreibung|buchungstext|empfänger|libellé|libelle|concepto|text|note|notes)$/],
  ['currency', /^(currency|währung|devise|moneda|valuta code)$/],
  ['id', /^(id|transaction id|reference|referenz)$/],
];

export interface ImportSuggestion {
  preset: PresetId | null;
  settings: Omit<ImportSettings, 'dateFormat' | 'decimalSeparator' | 'columns'> & {
    columns: Partial<ColumnMapping>;
    dateFormat: DateFormat | null;
    decimalSeparator: DecimalSeparator | null;
  };
  /** Where the file's values leave more than one reading: the user picks one. */
  ask: { dateFormat?: DateFormat[]; decimalSeparator?: DecimalSeparator[] };
}

/** The most likely settings for a file with `delimiter`, for a user with `categories`. */
export function suggestSettings(table: ImportTable, delimiter: string, categories: Category[]): ImportSuggestion {
  const firstRow = (table.rows[0]?.cells ?? []).map((cell) => cell.trim().toLowerCase());
  const preset = PRESETS.find((p) => p.requires.every((name) => firstRow.includes(name)));
  const header = preset !== undefined || looksLikeHeader(table);
  const names = columnNames(table, header);
  const byLowerName = new Map(names.map((name) => [name.toLowerCase(), name]));
  const presetSettings = preset?.settings(byLowerName);
  const columns: Partial<ColumnMapping> = presetSettings?.columns ?? guessColumns(names);
  const values = (column: string | undefined): string[] => {
    const index = column === undefined ? -1 : names.indexOf(column);
    return index < 0 ? [] : dataRows(table, header).map((row) => row.cells[index] ?? '');
  };
  const amountValues = [...values(columns.amount), ...values(columns.debit), ...values(columns.credit)];
  const dateFormats = dateFormatsOf(values(columns.date));
  const separators = decimalSeparatorsOf(amountValues);
  const bank = !preset && delimiter === ';';
  const dateFormat = presetSettings?.dateFormat ?? (dateFormats.length === 1 ? dateFormats[0]! : null);
  const decimalSeparator = presetSettings?.decimalSeparator ?? (separators.length === 1 ? separators[0]! : null);
  const spendingSign = presetSettings?.spendingSign ?? (bank || mostlyNegative(amountValues, decimalSeparator ?? '.') ? 'negative' : 'positive');
  const ask: ImportSuggestion['ask'] = {};
  if (dateFormat === null) ask.dateFormat = dateFormats.length > 1 ? dateFormats : [...DATE_FORMATS];
  if (decimalSeparator === null) ask.decimalSeparator = separators.length > 1 ? separators : [...DECIMAL_SEPARATORS];
  const settings = {
    header, columns, dateFormat, decimalSeparator, spendingSign, spendingTypes: presetSettings?.spendingTypes ?? [],
    defaultCategory: defaultCategoryOf(categories),
    categories: [] as ImportSettings['categories'],
  };
  settings.categories = suggestCategories(fileCategoryNames(table, settings), categories);
  return { preset: preset?.id ?? (bank ? 'bank' : null), settings, ask };
}

/** The distinct category names in the file's category column, in order of first appearance, with how many rows use each. */
export function fileCategoryNames(table: ImportTable, settings: Pick<ImportSettings, 'header'> & { columns: Partial<ColumnMapping> }): { name: string; rows: number }[] {
  const index = settings.columns.category === undefined ? -1 : columnNames(table, settings.header).indexOf(settings.columns.category);
  if (index < 0) return [];
  const counts = new Map<string, { name: string; rows: number }>();
  for (const row of dataRows(table, settings.header)) {
    const name = cleanText(row.cells[index] ?? '');
    if (!name) continue;
    const entry = counts.get(nameKey(name)) ?? { name, rows: 0 };
    entry.rows += 1;
    counts.set(nameKey(name), entry);
  }
  return [...counts.values()];
}

/** Each file name to the user's category of that name, else a new one while there is room, else the default. */
export function suggestCategories(names: { name: string }[], categories: Category[]): { name: string; to: CategoryTarget }[] {
  const byName = new Map(categories.map((c) => [nameKey(c.name), c]));
  let room = MAX_CATEGORIES - categories.length;
  return names.map(({ name }) => {
    const existing = byName.get(nameKey(name));
    if (existing) return { name, to: existing.archived ? DEFAULT_CATEGORY : existing.id };
    if (room > 0 && name.length <= 40) {
      room -= 1;
      return { name, to: NEW_CATEGORY };
    }
    return { name, to: DEFAULT_CATEGORY };
  });
}

/** "Other" when the user has it active, else their first active category. */
export function defaultCategoryOf(categories: Category[]): string {
  const active = activeCategoryIds(categories);
  return active.includes('Other') ? 'Other' : active[0] ?? 'Other';
}

function pick(names: Map<string, string>, wanted: Record<string, string>): Partial<ColumnMapping> {
  return Object.fromEntries(Object.entries(wanted).flatMap(([field, name]) => (names.has(name) ? [[field, names.get(name)!]] : [])));
}

function guessColumns(names: string[]): Partial<ColumnMapping> {
  const columns: Partial<ColumnMapping> = {};
  for (const [field, pattern] of SYNONYMS) {
    const found = names.find((name) => pattern.test(name.trim().toLowerCase()) && !Object.values(columns).includes(name));
    if (found && columns[field] === undefined) columns[field] = found;
  }
  if (columns.amount !== undefined) { delete columns.debit; delete columns.credit; }
  return columns;
}

/** A first row none of whose cells is a number or a date, above a row that has one, names the columns. */
function looksLikeHeader(table: ImportTable): boolean {
  const isValue = (cell: string) => cell.trim() !== '' && (DATE_FORMATS.some((format) => parseDate(cell, format) !== null) || normalizeNumber(cell, '.') !== null || normalizeNumber(cell, ',') !== null);
  const [first, second] = table.rows;
  if (!first || first.cells.some(isValue)) return false;
  return !second || second.cells.some(isValue);
}

function mostlyNegative(values: string[], separator: DecimalSeparator): boolean {
  const signs = values.map((v) => normalizeNumber(v, separator)).filter((v): v is string => v !== null && !/^-?0*\.?0*$/.test(v));
  return signs.filter((v) => v.startsWith('-')).length * 2 > signs.length;
}
