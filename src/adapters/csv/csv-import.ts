import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../domain/errors.js';
import type { ImportTable } from '../../domain/import-rows.js';

/** Delimiters tried, in order of preference when two split a file equally well. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Records looked at to choose the delimiter. */
const SNIFF_RECORDS = 50;

type Record = { record: string[]; info: { lines: number } };

/**
 * Parses an uploaded file (RFC 4180, with csv-parse) into records, each with the line it starts
 * on. The delimiter is the one of DELIMITERS that splits the first records into the same number
 * (more than one) of columns most often, unless `delimiter` names it. Throws a ValidationError
 * naming `file` when no delimiter makes it a table or its quoting is broken.
 */
export function parseCsvFile(text: string, delimiter?: string): { delimiter: string; table: ImportTable } {
  if (text.includes('\u0000')) throw notCsv('it holds NUL characters: it looks like a binary file (a spreadsheet saved as .xlsx?), not text');
  const chosen = delimiter ?? sniffDelimiter(text);
  if (!chosen) throw notCsv('no delimiter (comma, semicolon, tab or |) splits its lines into columns');
  let records: Record[];
  try {
    records = parse(text, { delimiter: chosen, relax_column_count: true, skip_empty_lines: true, bom: true, info: true }) as unknown as Record[];
  } catch (error) {
    throw notCsv(`it is not valid CSV: ${(error as Error).message}`);
  }
  // `lines` counts to a record's last line; a quoted field's line breaks say how far back it started.
  const rows = records.map(({ record, info }) => ({ line: info.lines - record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0), cells: record }));
  return { delimiter: chosen, table: { rows } };
}

function sniffDelimiter(text: string): string | null {
  let best: { delimiter: string; score: number } | null = null;
  for (const delimiter of DELIMITERS) {
    let widths: number[];
    try {
      widths = (parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true, to: SNIFF_RECORDS, relax_quotes: true }) as string[][]).map((r) => r.length);
    } catch {
      continue;
    }
    const counts = new Map<number, number>();
    for (const width of widths) counts.set(width, (counts.get(width) ?? 0) + 1);
    const [width, rows] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [0, 0];
    if (width < 2) continue;
    const score = rows * 1000 + width;
    if (!best || score > best.score) best = { delimiter, score };
  }
  return best?.delimiter ?? null;
}

function notCsv(reason: string): ValidationError {
  return new ValidationError({ file: `is not a CSV file we can read: ${reason}` }, 'Invalid field: file');
}
