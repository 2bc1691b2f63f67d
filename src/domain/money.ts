import { ValidationError } from './errors.js';

/**
 * Money is kept as integer minor units (cents for USD, yen for JPY, fils for KWD) from the edge
 * inward, so sums are exact. How many decimals a currency has comes from ISO 4217 through the
 * runtime's ICU data, not from a table of our own.
 */
export type MinorUnits = number;

const decimalsByCurrency = new Map<string, number>();

/** ISO 4217 decimals of a code the runtime knows: JPY 0, USD 2, KWD 3. */
export function currencyDecimals(currency: string): number {
  let decimals = decimalsByCurrency.get(currency);
  if (decimals === undefined) {
    decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    decimalsByCurrency.set(currency, decimals);
  }
  return decimals;
}

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code this runtime knows. */
export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && knownCurrencies.has(value);
}

/**
 * Largest expense in major units: 1,000,000 with decimals, 10,000,000,000 without (¥, ₩, Rp, ₫
 * count in units worth cents). Either way at most 10^10 minor units, so a month of the most
 * writes the rate limit allows stays an exact integer (see MAX_MONTH_TOTAL).
 */
export function maxExpenseAmount(decimals: number): number {
  return decimals === 0 ? 10_000_000_000 : 1_000_000;
}

/** Largest budget limit in major units: a thousand of the largest expense. */
export function maxBudgetLimit(decimals: number): number {
  return maxExpenseAmount(decimals) * 1000;
}

/** A month's total stays below this (minor units), far from 2^53, so every sum is exact. */
export const MAX_MONTH_TOTAL: MinorUnits = 10 ** 15;

/** True when `amount` is written with at most `decimals` decimals (19.99 yes for 2, 0.005 no). */
export function hasAtMostDecimals(amount: number, decimals: number): boolean {
  // k / 10^d is the double closest to the decimal with k units of 10^-d, which is exactly what
  // parsing that decimal gives; any other double (246273.3600007, 5e-133) fails the round trip.
  const scale = 10 ** decimals;
  return Number.isFinite(amount) && Math.round(amount * scale) / scale === amount;
}

/** What an amount field must be, in words (the 400's message). */
export function amountRule(currency: string, max: number): string {
  const decimals = currencyDecimals(currency);
  const places = decimals === 0 ? 'no decimal places' : `at most ${decimals} decimal place${decimals > 1 ? 's' : ''}`;
  return `must be a number greater than 0 and at most ${max.toLocaleString('en-US')}, with ${places} (${currency})`;
}

/**
 * A positive major-unit amount as minor units of `currency`, or a ValidationError naming `field`
 * when it has more decimals than the currency or exceeds `max` (major units).
 */
export function toMinorUnits(amount: unknown, currency: string, field: string, max: number): MinorUnits {
  const decimals = currencyDecimals(currency);
  if (typeof amount !== 'number' || !(amount > 0) || amount > max || !hasAtMostDecimals(amount, decimals)) {
    throw new ValidationError({ [field]: amountRule(currency, max) }, `Invalid field: ${field}`);
  }
  return Math.round(amount * 10 ** decimals);
}

/** toMinorUnits, recording a problem in `fields` (and answering undefined) instead of throwing, so one 400 can name every field. */
export function collectMinorUnits(fields: Record<string, string>, amount: unknown, currency: string, field: string, max: number): MinorUnits | undefined {
  try {
    return toMinorUnits(amount, currency, field, max);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(fields, error.fields);
    return undefined;
  }
}

/** Integer / 10^d yields the double closest to the decimal value, which JSON prints as such. */
export function toMajorUnits(units: MinorUnits, currency: string): number {
  return units / 10 ** currencyDecimals(currency);
}

/** The exact decimal text of `units` ("-1234.500" for -1234500 fils), for formatting without a double. */
export function decimalText(units: MinorUnits, currency: string): string {
  const decimals = currencyDecimals(currency);
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  return `${units < 0 ? '-' : ''}${whole}${decimals ? `.${digits.slice(-decimals)}` : ''}`;
}

/**
 * spent / limit as a percentage floored to one decimal, so the level shown never
 * reaches a whole-number threshold that reachesThreshold has not: 99.995% shows as 99.9%, not 100%.
 * Computed on BigInt, exact for any integers (spent * 1000 can pass 2^53). Null when carried
 * overspending left a limit of zero or below: no percentage means anything then.
 */
export function percentUsed(spent: MinorUnits, limit: MinorUnits): number | null {
  if (limit <= 0) return null;
  const scaled = BigInt(spent) * 1000n;
  const divisor = BigInt(limit);
  // BigInt division truncates toward zero; flooring differs from it below zero.
  const tenths = scaled / divisor - (scaled % divisor < 0n ? 1n : 0n);
  return Number(tenths) / 10;
}

/** (to - from) / from as a percentage truncated to one decimal, exactly; null from zero. */
export function percentChange(from: MinorUnits, to: MinorUnits): number | null {
  if (from === 0) return null;
  return Number((BigInt(to - from) * 1000n) / BigInt(from)) / 10;
}

/**
 * Whether spending reached `thresholdPercent` of the limit; exact integers (limit * 1000 can pass
 * 2^53). A limit carried overspending took to zero or below is reached by any spending at all.
 */
export function reachesThreshold(spent: MinorUnits, limit: MinorUnits, thresholdPercent: number): boolean {
  if (limit <= 0) return spent > 0;
  return BigInt(spent) * 100n >= BigInt(limit) * BigInt(thresholdPercent);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "$1,234.50", "¥1,200", "KWD 1.250": the currency's own decimals, formatted from the exact decimal. */
export function formatMoney(units: MinorUnits, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3); a double could round. ICU's
  // no-break space ("KWD\u00a01.250") becomes a plain one: emails and logs are searched as typed.
  return format.format(decimalText(units, currency) as unknown as number).replace(/[\u00a0\u202f]/g, ' ');
}
