import type { CarryPlans } from './carry.js';
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
  /**
   * Spent per day of the month ("01".."31"; a day without expenses has no entry), so the page draws
   * the month by day without reading its expenses. Null for a month written before it was kept (its
   * days are unknown until the month is empty again).
   */
  byDay: Record<string, MinorUnits> | null;
  /** The part of `byCategory` that recurring expenses made: a forecast's run rate leaves it out. */
  recurringByCategory: Record<string, MinorUnits>;
  /**
   * For each carry-over scope that started before this month: what it spent from its start month
   * through the month before this one (absent: nothing). Every write to a month rewrites this on
   * the later months, so a month's carry is read from its own totals.
   */
  carrySpent: Record<string, MinorUnits>;
  alerted: string[];
}

export function emptyMonth(month: string): MonthTotals {
  return { month, total: 0, count: 0, byCategory: {}, byDay: {}, countByCategory: {}, recurringByCategory: {}, carrySpent: {}, alerted: [] };
}

/** A month never written: nothing spent, its carry bookkeeping taken from `previous`, the latest month before it with totals. */
export function unwrittenMonth(month: string, previous: MonthTotals | null, plans: CarryPlans): MonthTotals {
  return { ...emptyMonth(month), carrySpent: carrySpentFrom(previous, month, plans) };
}

/** What the month spent in a scope: 'total' or a category id. */
export function spentIn(totals: MonthTotals, scope: string): MinorUnits {
  return scope === 'total' ? totals.total : totals.byCategory[scope] ?? 0;
}

/** What the month spent in a scope on anything but recurring expenses. */
export function spentOnceIn(totals: MonthTotals, scope: string): MinorUnits {
  const recurring = scope === 'total'
    ? Object.values(totals.recurringByCategory).reduce((sum, amount) => sum + amount, 0)
    : totals.recurringByCategory[scope] ?? 0;
  return spentIn(totals, scope) - recurring;
}

/**
 * `month`'s carrySpent, from the totals of the latest month before it that has any (`previous`;
 * null when none): months between hold nothing, so they add nothing.
 */
export function carrySpentFrom(previous: MonthTotals | null, month: string, plans: CarryPlans): Record<string, MinorUnits> {
  const carrySpent: Record<string, MinorUnits> = {};
  for (const [scope, plan] of Object.entries(plans)) {
    if (month <= plan.since || previous === null || previous.month < plan.since) continue;
    const spent = (previous.month > plan.since ? previous.carrySpent[scope] ?? 0 : 0) + spentIn(previous, scope);
    if (spent !== 0) carrySpent[scope] = spent;
  }
  return carrySpent;
}

/** How many expenses of `category` these months hold, and in how many of them. */
export function categoryCount(months: MonthTotals[], category: string): { expenses: number; months: number } {
  const counts = months.map((m) => m.countByCategory[category] ?? 0).filter((count) => count > 0);
  return { expenses: counts.reduce((sum, count) => sum + count, 0), months: counts.length };
}

/** Totals after `removed` leaves the month and `added` joins it (either may be absent). */
export function applyExpenseChange(totals: MonthTotals, removed: Expense | null, added: Expense | null): MonthTotals {
  const byCategory = { ...totals.byCategory };
  const byDay = totals.byDay === null ? null : { ...totals.byDay };
  const countByCategory = { ...totals.countByCategory };
  const recurringByCategory = { ...totals.recurringByCategory };
  let { total, count } = totals;
  if (removed) {
    total -= removed.amount;
    count -= 1;
    const left = (byCategory[removed.category] ?? 0) - removed.amount;
    // Expense amounts are positive, so a category sums to zero only when it has no expenses left.
    if (left === 0) delete byCategory[removed.category];
    else byCategory[removed.category] = left;
    if (byDay) {
      const day = dayOf(removed);
      const dayLeft = (byDay[day] ?? 0) - removed.amount;
      if (dayLeft === 0) delete byDay[day];
      else byDay[day] = dayLeft;
    }
    const countLeft = (countByCategory[removed.category] ?? 0) - 1;
    if (countLeft === 0) delete countByCategory[removed.category];
    else countByCategory[removed.category] = countLeft;
    if (removed.recurringId) {
      const recurringLeft = (recurringByCategory[removed.category] ?? 0) - removed.amount;
      if (recurringLeft === 0) delete recurringByCategory[removed.category];
      else recurringByCategory[removed.category] = recurringLeft;
    }
  }
  if (added) {
    total += added.amount;
    count += 1;
    byCategory[added.category] = (byCategory[added.category] ?? 0) + added.amount;
    if (byDay) byDay[dayOf(added)] = (byDay[dayOf(added)] ?? 0) + added.amount;
    countByCategory[added.category] = (countByCategory[added.category] ?? 0) + 1;
    if (added.recurringId) recurringByCategory[added.category] = (recurringByCategory[added.category] ?? 0) + added.amount;
    if (total > MAX_MONTH_TOTAL) {
      throw new ValidationError({ amount: `would take ${totals.month}'s total past ${MAX_MONTH_TOTAL.toLocaleString('en-US')} minor units, the most a month can hold exactly` }, 'Invalid field: amount');
    }
  }
  // A month written before days were kept knows them again once it is empty.
  return { ...totals, total, count, byCategory, byDay: byDay ?? (count === 0 ? {} : null), countByCategory, recurringByCategory };
}

/** "2026-11-03" -> "03". */
const dayOf = (expense: Expense) => expense.date.slice(8, 10);
