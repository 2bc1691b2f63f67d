/**
 * Money and date helpers. Money is summed in integer minor units of its currency (cents, yen,
 * fils); dates are plain YYYY-MM-DD strings.
 */
import type { Budget } from './types.js';

/**
 * One Intl formatter per set of options: building one is far slower than using it, and the page
 * formats hundreds of amounts and dates per render.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = formatters.get(key) as T | undefined;
  if (!format) {
    format = make();
    formatters.set(key, format);
  }
  return format;
}

/** ISO 4217 decimals, as the server takes them (ICU): JPY 0, USD 2, KWD 3; 2 for a code Intl does not know. */
export function currencyDecimals(currency: string): number {
  try {
    return cached(`decimals|${currency}`, () => new Intl.NumberFormat('en', { style: 'currency', currency })).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Sums major-unit amounts exactly in minor units (0.1 + 0.2 === 0.3 here). */
export function sumMoney(amounts: Iterable<number>, currency: string): number {
  const scale = 10 ** currencyDecimals(currency);
  let units = 0;
  for (const amount of amounts) units += Math.round(amount * scale);
  return units / scale;
}

/** "$1,234.50" in the user's currency and locale; unknown currency codes fall back to "1,234.50 XYZ". */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  try {
    return cached(`money|${locale ?? ''}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency })).format(amount);
  } catch {
    const plain = cached(`plain|${locale ?? ''}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    return `${plain.format(amount)} ${currency}`;
  }
}

/** The largest expense amount the API takes (its rule, repeated here to say so before sending). */
export const MAX_AMOUNT = 1_000_000;

/**
 * The page's one rule for a typed amount (quick add and every form): digits with a dot or a comma as
 * the decimal separator ("3.50", "3,50"), thousands grouped by the other one ("1,234.50", "1.234,50").
 * One separator followed by exactly three digits ("1.250", "1,250") is a decimal only in a
 * three-decimal currency; elsewhere it is refused as ambiguous, never guessed. More decimals than the
 * currency has is refused. Null when the text is not a number at all; problems quote what was typed.
 */
export function readAmount(typed: string, decimals: number): { value: number } | { problem: string } | null {
  const text = typed.trim().replace(/\s/g, '');
  const word = `"${typed.trim()}"`;
  if (!/^\d[\d.,]*$|^[.,]\d+$/.test(text) || /[.,]$/.test(text)) return null;
  const separators = text.replace(/\d/g, '');
  let normal: string;
  if (separators === '') normal = text;
  else if (new Set(separators).size === 2) {
    const decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const [whole, fraction] = text.split(decimal) as [string, string];
    if (!/^\d{1,3}(\d{3})*$/.test(whole.split(group).join('')) || !whole.split(group).slice(1).every((g) => g.length === 3)) return { problem: `${word} is not an amount` };
    normal = `${whole.split(group).join('')}.${fraction}`;
  } else if (separators.length > 1) {
    // "1.234.567" or "1,234,567": groups of thousands.
    const parts = text.split(separators[0]!);
    if (!parts.slice(1).every((g) => g.length === 3)) return { problem: `${word} is not an amount` };
    normal = parts.join('');
  } else {
    const [whole, fraction] = text.split(separators) as [string, string];
    // "12.345" is 12345 in Germany and 12.345 elsewhere: only a three-decimal currency reads it one way.
    if (fraction.length === 3 && whole !== '' && decimals !== 3) {
      return { problem: `${word} could be ${whole}${fraction} or ${whole}.${fraction}: write ${whole}${fraction}, or the amount with ${decimals} decimal${decimals === 1 ? '' : 's'}` };
    }
    normal = `${whole || '0'}.${fraction}`;
  }
  const fraction = normal.split('.')[1] ?? '';
  if (fraction.length > decimals) {
    return { problem: decimals === 0 ? `${word} has decimals, which this currency does not` : `${word} has more than ${decimals} decimal${decimals === 1 ? '' : 's'}` };
  }
  const value = Number(normal);
  return value > 0 ? { value } : { problem: `the amount must be more than 0 (${word} is not)` };
}

/** What is wrong with a typed amount, in words about what was typed; null when it is fine. */
export function amountProblem(typed: string, currency: string): string | null {
  const decimals = currencyDecimals(currency);
  if (typed.trim() === '') return `Enter an amount, e.g. ${decimals ? `12${'.50'.slice(0, decimals + 1)}` : '1200'}`;
  const read = readAmount(typed, decimals);
  if (!read) return `"${typed.trim()}" is not an amount: use digits, e.g. ${decimals ? `12${'.50'.slice(0, decimals + 1)}` : '1200'}`;
  if ('problem' in read) return read.problem.charAt(0).toUpperCase() + read.problem.slice(1);
  return read.value > MAX_AMOUNT ? `"${typed.trim()}" is over the largest amount, ${MAX_AMOUNT.toLocaleString('en')}` : null;
}

/** A typed amount as a number for the API: NaN (sent as null, for the server to name) when the rule refuses it. */
export function parseAmount(typed: string, currency: string): number {
  const read = readAmount(typed, currencyDecimals(currency));
  return read && 'value' in read ? read.value : NaN;
}

/** An amount as a form field value with its currency's decimals ("12.5" -> "12.50", KWD "1.25" -> "1.250"); empty for null or NaN. */
export function amountText(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '';
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(currencyDecimals(currency));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today as YYYY-MM-DD in `timeZone` (the budget's), or in the device's zone when none is known yet. */
export function todayIso(now: Date = new Date(), timeZone?: string): string {
  if (!timeZone) return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const parts = Object.fromEntries(cached(`today|${timeZone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }))
    .formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The device's IANA time zone (what a new budget starts with). */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A budget nobody has set yet: the server's defaults in every field. */
export function isUntouchedBudget(budget: Budget): boolean {
  return budget.currency === 'USD' && budget.monthlyLimit === null && Object.keys(budget.categoryLimits).length === 0
    && budget.thresholds.join() === '80,100' && budget.alertEmail === null && budget.timeZone === 'UTC'
    && budget.forecastThresholds.length === 0 && !budget.monthlyReport;
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function isMonth(value: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return !!match && Number(match[1]) >= 1970 && Number(match[1]) <= 2099 && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** "2026-11" + 1 -> "2026-12"; "2026-01" - 1 -> "2025-12". */
export function addMonths(month: string, delta: number): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (mon - 1) + delta;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

export function daysInMonth(month: string): number {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon, 0)).getUTCDate();
}

/** "2026-11" -> "November 2026". */
export function formatMonth(month: string, locale?: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return cached(`month|${locale ?? ''}`, () => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })).format(new Date(Date.UTC(year, mon - 1, 1)));
}

/** "2026-11-03" -> "Tue, Nov 3" (locale dependent). */
export function formatDay(date: string, locale?: string): string {
  const [year, mon, day] = date.split('-').map(Number) as [number, number, number];
  return cached(`day|${locale ?? ''}`, () => new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }))
    .format(new Date(Date.UTC(year, mon - 1, day)));
}

/**
 * A percentage as shown next to bars: one decimal at most, floored ("82.5%", "99.9%" for 99.99,
 * "100%"), so it never shows a threshold as reached before it is.
 */
export function formatPercent(percent: number, locale?: string): string {
  return `${cached(`percent|${locale ?? ''}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 1, roundingMode: 'floor' })).format(percent)}%`;
}
