import type { MinorUnits } from './money.js';

export const CATEGORIES = [
  'Food', 'Transport', 'Housing', 'Utilities', 'Health',
  'Entertainment', 'Shopping', 'Travel', 'Education', 'Other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

/** What a person records. `amount` is in minor units. */
export interface ExpenseDetails {
  amount: MinorUnits;
  category: Category;
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  description?: string;
}

export interface Expense extends ExpenseDetails {
  id: string;
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
