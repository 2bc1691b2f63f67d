import { stringify } from 'csv-stringify/sync';
import type { ExportPage } from '../../application/use-cases/export-expenses.js';
import { decimalText } from '../../domain/money.js';

export const EXPORT_COLUMNS = ['date', 'amount', 'currency', 'category', 'description', 'original_amount', 'original_currency', 'id', 'created_at', 'updated_at'];

/**
 * A text cell a spreadsheet would run as a formula starts with one of these; OWASP's rule is to
 * write it with a leading apostrophe, which spreadsheets show as text and do not display.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One export page as RFC 4180 CSV (CRLF line ends, quotes where needed), amounts with the
 * currency's own decimals and a dot. The header row comes with the first page only, so the pages
 * of one export concatenate into one file.
 */
export function exportCsv(page: ExportPage, withHeader: boolean): string {
  const rows = page.expenses.map((e) => [
    e.date,
    decimalText(e.amount, page.currency),
    page.currency,
    neutralizeFormula(page.categoryNames.get(e.category) ?? e.category),
    neutralizeFormula(e.description ?? ''),
    e.original ? decimalText(e.original.amount, e.original.currency) : '',
    e.original?.currency ?? '',
    neutralizeFormula(e.id),
    e.createdAt,
    e.updatedAt,
  ]);
  return stringify(withHeader ? [EXPORT_COLUMNS, ...rows] : rows, { record_delimiter: 'windows' });
}
