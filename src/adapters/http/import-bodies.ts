import type { RowStatus } from '../../application/import-plan.js';
import type { CommitChoices } from '../../application/use-cases/commit-import.js';
import type { PreviewQuery } from '../../application/use-cases/preview-import.js';
import { invalidFields } from '../../domain/errors.js';
import { DATE_FORMATS, DECIMAL_SEPARATORS } from '../../domain/import-format.js';
import { MAPPED_COLUMNS, type ColumnMapping, type ImportSettings } from '../../domain/import-rows.js';
import { normalizeFreeText } from '../../domain/text.js';
import { DELIMITERS } from '../csv/csv-import.js';

/** How an import's settings and choices arrive: their shape is checked here, against the file in the use case. */

const MAX_LINES = 100_000;
const ROW_STATUSES: RowStatus[] = ['ok', 'duplicate', 'recorded', 'error', 'skipped'];
export const MAX_PREVIEW_ROWS = 1000;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length >= 1 && value.length <= max;

/** `?name=&delimiter=` of an upload. */
export function parseUploadQuery(query: Record<string, string | undefined>): { fileName: string; delimiter?: string } {
  const fields: Record<string, string> = {};
  const name = query.name === undefined ? 'upload.csv' : normalizeFreeText(query.name);
  if (!name || [...name].length > 200) fields.name = 'must be 1 to 200 characters of one line of text';
  const delimiter = query.delimiter === 'tab' ? '\t' : query.delimiter;
  if (delimiter !== undefined && !(DELIMITERS as readonly string[]).includes(delimiter)) fields.delimiter = 'must be ",", ";", "tab" or "|"';
  if (Object.keys(fields).length) throw invalidFields(fields);
  return { fileName: name!, ...(delimiter ? { delimiter } : {}) };
}

/** The settings of a preview or commit body. */
export function parseImportSettings(body: unknown): ImportSettings {
  return readSettings(body, {});
}

/** A commit body: the settings, and what to do with possible duplicates and picked lines. */
export function parseCommitBody(body: unknown): { settings: ImportSettings; choices: CommitChoices } {
  const fields: Record<string, string> = {};
  const settings = readSettings(body, fields, () => {
    const b = body as Record<string, unknown>;
    if (b.duplicates !== undefined && b.duplicates !== 'skip' && b.duplicates !== 'import') fields.duplicates = 'must be "skip" or "import" when given';
    for (const name of ['include', 'exclude'] as const) {
      const lines = b[name];
      if (lines !== undefined && (!Array.isArray(lines) || lines.length > MAX_LINES || !lines.every((l) => Number.isInteger(l) && l >= 1))) {
        fields[name] = `must be a list of line numbers (at most ${MAX_LINES})`;
      }
    }
  });
  const b = body as Record<string, unknown>;
  return {
    settings,
    choices: {
      ...(b.duplicates !== undefined ? { duplicates: b.duplicates as 'skip' | 'import' } : {}),
      include: (b.include as number[] | undefined) ?? [], exclude: (b.exclude as number[] | undefined) ?? [],
    },
  };
}

/** `?status=&offset=&limit=` of a preview. */
export function parsePreviewQuery(query: Record<string, string | undefined>): PreviewQuery {
  const fields: Record<string, string> = {};
  const status = query.status as RowStatus | undefined;
  if (status !== undefined && !ROW_STATUSES.includes(status)) fields.status = `must be one of ${ROW_STATUSES.join(', ')}`;
  const number = (name: 'offset' | 'limit', fallback: number, min: number, max: number): number => {
    const value = query[name];
    if (value === undefined) return fallback;
    if (!/^\d{1,7}$/.test(value) || Number(value) < min || Number(value) > max) fields[name] = `must be a whole number from ${min} to ${max}`;
    return Number(value);
  };
  const offset = number('offset', 0, 0, MAX_LINES);
  const limit = number('limit', 100, 1, MAX_PREVIEW_ROWS);
  if (Object.keys(fields).length) throw invalidFields(fields);
  return { ...(status ? { status } : {}), offset, limit };
}

function readSettings(body: unknown, fields: Record<string, string>, more: () => void = () => {}): ImportSettings {
  if (!isObject(body)) throw invalidFields({ body: 'must be a JSON object of import settings' });
  const b = body;
  if (typeof b.header !== 'boolean') fields.header = 'must be true or false: whether the first record names the columns';
  if (!isObject(b.columns)) fields.columns = `must be an object naming the file's column for each of ${MAPPED_COLUMNS.join(', ')}`;
  else {
    for (const [field, name] of Object.entries(b.columns)) {
      if (!(MAPPED_COLUMNS as readonly string[]).includes(field)) fields[`columns.${field}`] = `is not a field to map (the fields are ${MAPPED_COLUMNS.join(', ')})`;
      else if (!isText(name, 200)) fields[`columns.${field}`] = 'must be a column name';
    }
    if (b.columns.date === undefined) fields['columns.date'] = 'is required: the column holding dates';
  }
  if (!(DATE_FORMATS as readonly unknown[]).includes(b.dateFormat)) fields.dateFormat = `must be one of ${DATE_FORMATS.join(', ')}`;
  if (!(DECIMAL_SEPARATORS as readonly unknown[]).includes(b.decimalSeparator)) fields.decimalSeparator = 'must be "." or ","';
  if (b.spendingSign !== 'positive' && b.spendingSign !== 'negative') fields.spendingSign = 'must be "positive" or "negative": the sign spending has in the amount column';
  if (b.spendingTypes !== undefined && (!Array.isArray(b.spendingTypes) || b.spendingTypes.length > 20 || !b.spendingTypes.every((t) => isText(t, 100)))) {
    fields.spendingTypes = 'must be a list of up to 20 type names';
  }
  if (b.categories !== undefined && (!Array.isArray(b.categories) || b.categories.length > 10_000
    || !b.categories.every((c) => isObject(c) && isText(c.name, 200) && isText(c.to, 40)))) {
    fields.categories = 'must be a list of {"name": <name in the file>, "to": <category id> | "new" | "default"}';
  }
  if (!isText(b.defaultCategory, 40)) fields.defaultCategory = 'must be a category id';
  more();
  if (Object.keys(fields).length) throw invalidFields(fields);
  return {
    header: b.header as boolean,
    columns: b.columns as unknown as ColumnMapping,
    dateFormat: b.dateFormat as ImportSettings['dateFormat'],
    decimalSeparator: b.decimalSeparator as ImportSettings['decimalSeparator'],
    spendingSign: b.spendingSign as ImportSettings['spendingSign'],
    spendingTypes: (b.spendingTypes as string[] | undefined) ?? [],
    categories: ((b.categories as { name: string; to: string }[] | undefined) ?? []).map(({ name, to }) => ({ name, to })),
    defaultCategory: b.defaultCategory as string,
  };
}
