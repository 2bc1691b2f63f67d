import { isCalendarDate } from './expense.js';
import { currencyDecimals, maxExpenseAmount, type MinorUnits } from './money.js';

/**
 * How the values of an imported CSV file are written: its dates and its numbers. Each is detected
 * from the file's values only where they leave one reading; otherwise the user is asked (a file
 * whose dates are all like 03/04/2026 is never read as April or March by guess).
 */

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const DECIMAL_SEPARATORS = ['.', ','] as const;
export type DecimalSeparator = (typeof DECIMAL_SEPARATORS)[number];

const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  // A time or offset may follow (Firefly III writes 2026-11-03T00:00:00+01:00): the date is the day it names.
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?:[T ][0-9:.+\-Z]*)?$/,
  'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
};

/** The date as YYYY-MM-DD when `value` is a real calendar date written in `format`, else null. */
export function parseDate(value: string, format: DateFormat): string | null {
  const groups = DATE_PATTERNS[format].exec(value.trim())?.groups;
  if (!groups) return null;
  const iso = `${groups.y}-${groups.m!.padStart(2, '0')}-${groups.d!.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : null;
}

/** Of `options`, those reading the most values (a stray bad value does not hide the format of the rest); all when none reads any. */
function readingMost<T>(options: readonly T[], reads: (option: T) => number): T[] {
  const counts = options.map(reads);
  const best = Math.max(...counts);
  return best === 0 ? [...options] : options.filter((_, i) => counts[i] === best);
}

/** The formats in which the most of `values` (non-empty) are real dates: one when the file's dates leave one reading. */
export function dateFormatsOf(values: string[]): DateFormat[] {
  const present = values.map((v) => v.trim()).filter(Boolean);
  return readingMost(DATE_FORMATS, (format) => present.filter((value) => parseDate(value, format) !== null).length);
}

/** Currency signs, codes and spaces that may surround a number ("$12.50", "12,50 €", "EUR 12.50"). */
const SURROUNDINGS = /^[\p{Sc}A-Z]{0,3}\s*|\s*[\p{Sc}A-Z]{0,3}$/gu;
const GROUPING = /['\u00a0\u202f ]/g;

/**
 * A signed decimal number as text with a dot ("-1234.56"), when `value` is a number written with
 * `separator` as its decimal separator. The other separator may group thousands in threes;
 * spaces and apostrophes may too. A minus may lead or trail, and parentheses mean negative.
 */
export function normalizeNumber(value: string, separator: DecimalSeparator): string | null {
  let text = value.trim().replace(SURROUNDINGS, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) { negative = true; text = text.slice(1, -1).trim(); }
  if (/^[+-]/.test(text)) { negative = negative !== text.startsWith('-'); text = text.slice(1).trim(); }
  else if (/-$/.test(text)) { negative = !negative; text = text.slice(0, -1).trim(); }
  text = text.replace(GROUPING, '');
  const group = separator === '.' ? ',' : '.';
  const escapedGroup = `\\${group}`;
  const escapedSeparator = `\\${separator}`;
  const pattern = new RegExp(`^(?:\\d{1,3}(?:${escapedGroup}\\d{3})+|\\d+)(?:${escapedSeparator}(\\d+))?$|^${escapedSeparator}(\\d+)$`);
  const match = pattern.exec(text);
  if (!match) return null;
  const [whole, fraction] = match[2] !== undefined ? ['0', match[2]] : text.split(separator) as [string, string | undefined];
  const digits = whole.replaceAll(group, '').replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${digits}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/**
 * The separators under which the most values are numbers. When both remain and read every value
 * the same way (whole numbers), either is right and '.' is answered alone; values read differently
 * ("1,234" is 1234 or 1.234) leave both, and the user is asked.
 */
export function decimalSeparatorsOf(values: string[]): DecimalSeparator[] {
  const present = values.map((v) => v.trim()).filter(Boolean);
  const fitting = readingMost(DECIMAL_SEPARATORS, (separator) => present.filter((value) => normalizeNumber(value, separator) !== null).length);
  if (fitting.length === 2 && present.every((value) => normalizeNumber(value, '.') === normalizeNumber(value, ','))) return ['.'];
  return fitting;
}

/** A decimal string ("-12.5") as minor units of `currency`, or the reason it cannot be one. */
export function decimalToMinorUnits(decimal: string, currency: string): { units: MinorUnits } | { problem: string } {
  const decimals = currencyDecimals(currency);
  const [whole, fraction = ''] = decimal.replace('-', '').split('.') as [string, string?];
  if (fraction.replace(/0+$/, '').length > decimals) {
    return { problem: `has ${fraction.length} decimal places; ${currency} has ${decimals === 0 ? 'none' : decimals}` };
  }
  const max = maxExpenseAmount(decimals);
  if (whole.length > 12 || Number(whole) > max) return { problem: `is over ${max.toLocaleString('en-US')}, the largest expense in ${currency}` };
  const units = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0').slice(0, decimals) || '0');
  return { units: decimal.startsWith('-') ? -units : units };
}
