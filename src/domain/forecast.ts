import { daysInMonth } from './expense.js';
import type { MinorUnits } from './money.js';
import { spentOnceIn, spentIn, type MonthTotals } from './month-totals.js';

/*
 * The month-end forecast of a scope, for the current month:
 *
 *   forecast = spent so far + recurring occurrences still due this month + run rate x days left
 *
 * The run rate is the daily average of the spending that is not recurring (recurring expenses are
 * known exactly, so they are counted once, as occurrences): over the previous three complete
 * months that hold any record (a month with no record at all is taken as "not using the product
 * yet", not as a month of zero spending); with none of them, this month's own average, but only
 * once more than OWN_RATE_AFTER_DAYS days of it have passed (one big purchase on day 2 is not a
 * pace); before that, no run rate at all. Days left do not count today: today's spending is
 * already in "spent so far".
 */

/** How many complete months before the current one the run rate averages. */
export const RATE_HISTORY_MONTHS = 3;
/** This month's own average is a pace only after this many days. */
export const OWN_RATE_AFTER_DAYS = 7;

/** The daily run rate as an exact fraction (minor units per day), or null when there is none yet. */
export function runRate(totals: MonthTotals, scope: string, today: string, history: MonthTotals[]): { spent: MinorUnits; days: number } | null {
  if (history.length > 0) {
    return {
      spent: history.reduce((sum, month) => sum + spentOnceIn(month, scope), 0),
      days: history.reduce((sum, month) => sum + daysInMonth(month.month), 0),
    };
  }
  const day = Number(today.slice(8, 10));
  return day > OWN_RATE_AFTER_DAYS ? { spent: spentOnceIn(totals, scope), days: day } : null;
}

/**
 * The forecast for `scope` of the month `totals` holds, on `today` (a date in that month, in the
 * budget's time zone): `upcoming` is what its recurring expenses still due this month add up to.
 */
export function forecastIn(totals: MonthTotals, scope: string, today: string, history: MonthTotals[], upcoming: MinorUnits): MinorUnits {
  const rate = runRate(totals, scope, today, history);
  const daysLeft = daysInMonth(totals.month) - Number(today.slice(8, 10));
  // Rounded half up, exactly: spent * daysLeft can pass 2^53.
  const paced = rate ? Number((BigInt(rate.spent) * BigInt(daysLeft) * 2n + BigInt(rate.days)) / (2n * BigInt(rate.days))) : 0;
  return spentIn(totals, scope) + upcoming + paced;
}
