import { invalidFields } from './errors.js';
import { collectMinorUnits, currencyDecimals, maxExpenseAmount, type MinorUnits } from './money.js';


/** What was charged in another currency (Firefly III's "foreign amount"): shown, never counted. */
export interface OriginalAmount {
  amount: MinorUnits;
  currency: string;
}

/** What a person records. `amount` is in minor units of the budget's currency. */
export interface ExpenseDetails {
  amount: MinorUnits;
  /** A category id (see category.ts). */
  category: string;
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  description?: string;
  original?: OriginalAmount;
}

/**
 * Expense details as sent, amounts in major units: their decimals depend on the budget's
 * currency, so they become minor units only against the budget the write reads (toExpenseDetails).
 */
export interface ExpenseInput extends Omit<ExpenseDetails, 'amount' | 'original'> {
  amount: number;
  original?: { amount: number; currency: string };
}

/** What the budget says an expense must be: in its currency, in one of its active categories. */
export interface ExpenseRules {
  currency: string;
  categoryIds: readonly string[];
  /** An update may keep the category it has, even once that is archived. */
  currentCategory?: string;
}

/**
 * The input in minor units of the budget's currency, checked against its rules. Throws a
 * ValidationError naming every field that breaks one, `earlier` (what the HTTP layer found
 * without the budget) included.
 */
export function toExpenseDetails(input: ExpenseInput, rules: ExpenseRules, earlier: Record<string, string> = {}): ExpenseDetails {
  const { currency } = rules;
  const fields: Record<string, string> = { ...earlier };
  if (!fields.category && input.category !== rules.currentCategory && !rules.categoryIds.includes(input.category)) {
    fields.category = 'is not one of your categories, or is archived (GET /api/categories lists them)';
  }
  const convert = (amount: unknown, inCurrency: string, field: string): MinorUnits | undefined =>
    (fields[field] ? undefined : collectMinorUnits(fields, amount, inCurrency, field, maxExpenseAmount(currencyDecimals(inCurrency))));
  const amount = convert(input.amount, currency, 'amount');
  let original: OriginalAmount | undefined;
  if (input.original && !fields.original && !fields['original.currency']) {
    if (input.original.currency === currency) fields['original.currency'] = `must differ from the budget's currency ${currency}: the amount itself is in ${currency}`;
    const originalAmount = convert(input.original.amount, input.original.currency, 'original.amount');
    if (originalAmount !== undefined) original = { amount: originalAmount, currency: input.original.currency };
  }
  if (Object.keys(fields).length) throw invalidFields(fields);
  const { original: _sent, ...rest } = input;
  return { ...rest, amount: amount!, ...(original ? { original } : {}) };
}

export interface Expense extends ExpenseDetails {
  id: string;
  /** The recurring expense this is an occurrence of; kept when the expense is edited. */
  recurringId?: string;
  createdAt: string;
  updatedAt: string;
}

export const EARLIEST_DATE = '1970-01-01';
export const LATEST_DATE = '2099-12-31';

/** A real calendar date in range: 2026-02-30 and 2026-13-01 are not. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && value >= EARLIEST_DATE && value <= LATEST_DATE;
}

/** A month, YYYY-MM, within the supported date range. */
export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value) && value >= EARLIEST_DATE.slice(0, 7) && value <= LATEST_DATE.slice(0, 7);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a YYYY-MM-DD date (calendar days: no time zone is involved). */
export const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Months since year 0 of a YYYY-MM month: month arithmetic on whole numbers. */
export const monthNumber = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** The month `months` months after `month` (before it when negative). */
export function addMonths(month: string, months: number): string {
  const index = monthNumber(month) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** How many days `month` (YYYY-MM) has. */
export function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}
