import { scopesWithLimits } from './alert.js';
import type { Budget } from './budget.js';
import type { CarryPlans } from './carry.js';
import { addMonths } from './expense.js';
import { percentChange, type MinorUnits } from './money.js';
import { unwrittenMonth, type MonthTotals } from './month-totals.js';

/** A year at a glance: this many months, ending with the one asked for. */
export const TREND_MONTHS = 12;

export interface TrendMonth {
  month: string;
  total: MinorUnits;
  count: number;
  byCategory: Record<string, MinorUnits>;
  /** The monthly limit that applied (carry-over included); null without one. */
  limit: MinorUnits | null;
  /** Each category limit that applied, by category id. */
  categoryLimits: Record<string, MinorUnits>;
  /** Against the month before: the difference, and as a percentage (truncated to one decimal; null when the month before spent nothing). */
  change: { amount: MinorUnits; percent: number | null };
}

/**
 * The TREND_MONTHS months ending with `to`, read from their month items (`written`, any order;
 * months never written spent nothing) and `before`, the latest month written before the window
 * (for the first month's change and carry).
 */
export function trendsOf(to: string, written: MonthTotals[], before: MonthTotals | null, budget: Budget, plans: CarryPlans): TrendMonth[] {
  const byMonth = new Map(written.map((t) => [t.month, t]));
  const first = addMonths(to, -(TREND_MONTHS - 1));
  let previous = before;
  const months: TrendMonth[] = [];
  for (let i = 0; i < TREND_MONTHS; i++) {
    const month = addMonths(first, i);
    const totals = byMonth.get(month) ?? unwrittenMonth(month, previous, plans);
    const limits = scopesWithLimits(totals, budget, plans);
    const priorTotal = previous && previous.month === addMonths(month, -1) ? previous.total : 0;
    months.push({
      month, total: totals.total, count: totals.count, byCategory: totals.byCategory,
      limit: limits.find((l) => l.scope === 'total')?.limit ?? null,
      categoryLimits: Object.fromEntries(limits.filter((l) => l.scope !== 'total').map((l) => [l.scope, l.limit])),
      change: { amount: totals.total - priorTotal, percent: percentChange(priorTotal, totals.total) },
    });
    previous = totals;
  }
  return months;
}
