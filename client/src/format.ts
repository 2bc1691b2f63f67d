/**
 * Money and date helpers. Money is summed in integer minor units of its currency (cents, yen,
 * fils); dates are plain YYYY-MM-DD strings.
 */
import type { Budget } from './types.js';

/** ISO 4217 decimals, as the server takes them (ICU): JPY 0, USD 2, KWD 3; 2 for a code Intl does not know. */
export function currencyDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
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

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "$1,234.50" in the user's currency and locale; unknown currency codes fall back to "1,234.50 XYZ". */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      return `${plain.format(amount)} ${currency}`;
    }
    moneyFormats.set(key, format);
  }
  return format.format(amount);
}

/**
 * What the user typed as an amount, as a number for the API. Accepts "12.5", "12,50" and "1,234.50";
 * anything else becomes NaN (sent as null) so the server names the problem.
 */
export function parseAmount(text: string): number {
  let value = text.trim().replace(/\s/g, '');
  if (value === '') return NaN;
  if (/^\d+,\d{1,2}$/.test(value)) value = value.replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) value = value.replace(/,/g, '');
  return /^\d*\.?\d+$|^\d+\.$/.test(value) ? Number(value) : NaN;
}

/** An amount as a form field value with its currency's decimals ("12.5" -> "12.50", KWD "1.25" -> "1.250"); empty for null. */
export function amountText(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '';
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(currencyDecimals(currency));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today as YYYY-MM-DD in `timeZone` (the budget's), or in the device's zone when none is known yet. */
export function todayIso(now: Date = new Date(), timeZone?: string): string {
  if (!timeZone) return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
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
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, mon - 1, 1)));
}

/** "2026-11-03" -> "Tue, Nov 3" (locale dependent). */
export function formatDay(date: string, locale?: string): string {
  const [year, mon, day] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, mon - 1, day)));
}

/**
 * A percentage as shown next to bars: one decimal at most, floored ("82.5%", "99.9%" for 99.99,
 * "100%"), so it never shows a threshold as reached before it is.
 */
export function formatPercent(percent: number, locale?: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1, roundingMode: 'floor' }).format(percent)}%`;
}
