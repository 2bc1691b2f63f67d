/** A plain-text table: the first row is the header; numbers and numeric-looking cells align right. */
export type Cell = string | number | null | undefined;

export function formatTable(title: string, header: string[], rows: Cell[][]): string {
  const text = (cell: Cell): string => (cell === null || cell === undefined ? '-' : typeof cell === 'number' ? formatNumber(cell) : cell);
  const body = rows.map((row) => row.map(text));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const numeric = header.map((_, i) => body.length > 0 && body.every((row) => /^[-+]?[\d.,]+( ?([%x×]|[a-zA-Z]{1,3}))?$|^-$/.test(row[i] ?? '')));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    title,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
  ].join('\n');
}

export function printTable(title: string, header: string[], rows: Cell[][]): void {
  console.log(`\n${formatTable(title, header, rows)}\n`);
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;

/** The p-th percentile (0-100) by nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}
