import type { Expense } from './expense.js';
import { ValidationError } from './errors.js';
import { MAX_MONTH_TOTAL, type MinorUnits } from './money.js';

/**
 * A month's running totals for one user, kept up to date on every write so that reading a month
 * never sums its expenses. `alerted` remembers every (scope, threshold) already alerted this month,
 * so spending that drops and rises again never alerts twice.
 */
export interface MonthTotals {
  month: string;
  total: MinorUnits;
  count: number;
  /** By category id; a category without expenses this month has no entry. */
  byCategory: Record<string, MinorUnits>;
  /** Expenses per category id, so a category's use is known without reading its expenses. */
  countByCategory: Record<string, number>;
  alerted: string[];
}

export function emptyMonth(month: string): MonthTotals {
  return { month, total: 0, count: 0, byCategory: {}, countByCategory: {}, alerted: [] };
}

/** How many expenses of `category` these months hold, and in how many of them. */
export function categoryCount(months: MonthTotals[], category: string): { expenses: number; months: number } {
  const counts = months.map((m) => m.countByCategory[category] ?? 0).filter((count) => count > 0);
  return { expenses: counts.reduce((sum, count) => sum + count, 0), months: counts.length };
}

/** Totals after `removed` leaves the month and `added` joins it (either may be absent). */
export function applyExpenseChange(totals: MonthTotals, removed: Expense | null, added: Expense | null): MonthTotals {
  const byCategory = { ...totals.byCategory };
  const countByCategory = { ...totals.countByCategory };
  let { total, count } = totals;
  if (removed) {
    total -= removed.amount;
    count -= 1;
    const left = (byCategory[removed.category] ?? 0) - removed.amount;
    // Expense amounts are positive, so a category sums to zero only when it has no expenses left.
    if (left === 0) delete byCategory[removed.category];
    else byCategory[removed.category] = left;
    const countLeft = (countByCategory[removed.category] ?? 0) - 1;
    if (countLeft === 0) delete countByCategory[removed.category];
    else countByCategory[removed.category] = countLeft;
  }
  if (added) {
    total += added.amount;
    count += 1;
    byCategory[added.category] = (byCategory[added.category] ?? 0) + added.amount;
    countByCategory[added.category] = (countByCategory[added.category] ?? 0) + 1;
    if (total > MAX_MONTH_TOTAL) {
      throw new ValidationError({ amount: `would take ${totals.month}'s total past ${MAX_MONTH_TOTAL.toLocaleString('en-US')} minor units, the most a month can hold exactly` }, 'Invalid field: amount');
    }
  }
  return { ...totals, total, count, byCategory, countByCategory };
}
