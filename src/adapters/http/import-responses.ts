import type { PlannedRow } from '../../application/import-plan.js';
import type { ImportRecord } from '../../application/ports.js';
import type { ImportPreview } from '../../application/use-cases/preview-import.js';
import type { ImportDraft } from '../../application/use-cases/start-import.js';
import { toMajorUnits } from '../../domain/money.js';
import { expenseJson } from './responses.js';

/** What the API shows of imports (amounts in major units, as everywhere). */

export function importJson(record: ImportRecord) {
  return {
    id: record.id, fileName: record.fileName, createdAt: record.createdAt, status: record.status, records: record.records,
    delimiter: record.delimiter === '\t' ? 'tab' : record.delimiter,
    ...(record.result ? { result: record.result } : {}), ...(record.months ? { months: record.months } : {}),
  };
}

export function importDraftJson({ record, suggestion, columns, sample }: ImportDraft) {
  return { ...importJson(record), columns, sample, preset: suggestion.preset, suggested: suggestion.settings, ask: suggestion.ask };
}

export function importPreviewJson(preview: ImportPreview) {
  return {
    columns: preview.columns, counts: preview.counts, categories: preview.categories,
    rows: preview.rows.map((row) => rowJson(row, preview.currency)), nextOffset: preview.nextOffset,
  };
}

function rowJson(row: PlannedRow, currency: string) {
  if (row.status === 'error') return { line: row.line, status: row.status, problems: row.problems };
  if (row.status === 'skipped') return { line: row.line, status: row.status, reason: row.reason };
  const { expense } = row;
  const isNew = expense.category.startsWith('new:');
  return {
    line: row.line, status: row.status, id: row.id,
    date: expense.date, amount: toMajorUnits(expense.amount, currency),
    // A category the commit creates has no id yet.
    category: isNew ? null : expense.category,
    ...(expense.fileCategory !== undefined ? { fileCategory: expense.fileCategory } : {}),
    ...(isNew ? { newCategory: true } : {}),
    ...(expense.description !== undefined ? { description: expense.description } : {}),
    ...(expense.original ? { original: { amount: toMajorUnits(expense.original.amount, expense.original.currency), currency: expense.original.currency } } : {}),
    ...(row.warnings.length ? { warnings: row.warnings } : {}),
    ...(row.status === 'duplicate' ? { duplicateOf: expenseJson(row.duplicateOf, currency) } : {}),
  };
}
