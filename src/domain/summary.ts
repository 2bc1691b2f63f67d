import { scopesWithLimits } from './alert.js';
import type { Budget } from './budget.js';
import type { CarryPlans } from './carry.js';
import { percentUsed, type MinorUnits } from './money.js';
import type { MonthTotals } from './month-totals.js';
import { monthOf } from './expense.js';
import { occurrenceDate, type Recurrence } from './recurrence.js';

/** A recurring expense's occurrence not made yet. */
export interface UpcomingOccurrence {
  recurringId: string;
  date: string;
  amount: MinorUnits;
  category: string;
  description?: string;
}

export interface BudgetUse {
  /** The limit that applies: `baseLimit` + `carry`. */
  limit: MinorUnits;
  baseLimit: MinorUnits;
  /** What earlier months left over (negative: overspent) and carried into this one; 0 without carry-over. */
  carry: MinorUnits;
  spent: MinorUnits;
  remaining: MinorUnits;
  /** Null when carried overspending left a limit of zero or below. */
  percentUsed: number | null;
  /** The month-end forecast (current month only; null otherwise). */
  forecast: MinorUnits | null;
}

export interface MonthSummary {
  month: string;
  currency: string;
  total: MinorUnits;
  count: number;
  byCategory: Record<string, MinorUnits>;
  /** Spent per day ("01".."31"); null for a month written before days were kept. */
  byDay: Record<string, MinorUnits> | null;
  budget: BudgetUse | null;
  categories: Record<string, BudgetUse>;
  /** Occurrences of recurring expenses still to come in the month (not made yet), and their sum. */
  upcoming: { total: MinorUnits; items: UpcomingOccurrence[] };
}

/** The occurrences of `recurrences` dated in `month` that are not made yet, by date. */
export function upcomingIn(recurrences: Recurrence[], month: string): MonthSummary['upcoming'] {
  const items: UpcomingOccurrence[] = [];
  for (const r of recurrences) {
    for (let index = r.nextIndex; ; index++) {
      const date = occurrenceDate(r.schedule, index);
      if (date === null || monthOf(date) > month) break;
      if (monthOf(date) < month) continue;
      items.push({ recurringId: r.id, date, amount: r.expense.amount, category: r.expense.category, ...(r.expense.description !== undefined ? { description: r.expense.description } : {}) });
    }
  }
  items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { total: items.reduce((sum, item) => sum + item.amount, 0), items };
}

/** Each scope's forecast, for the current month; absent for other months. */
export type ScopeForecast = (scope: string) => MinorUnits;

/** What each scope's upcoming occurrences add up to ('total': all of them). */
export function upcomingBy(upcoming: MonthSummary['upcoming']): (scope: string) => MinorUnits {
  return (scope) => (scope === 'total' ? upcoming.total : upcoming.items.filter((item) => item.category === scope).reduce((sum, item) => sum + item.amount, 0));
}

export function summarize(totals: MonthTotals, budget: Budget, plans: CarryPlans, upcoming: MonthSummary['upcoming'] = { total: 0, items: [] }, forecast?: ScopeForecast): MonthSummary {
  const summary: MonthSummary = {
    month: totals.month,
    currency: budget.currency,
    total: totals.total,
    count: totals.count,
    byCategory: totals.byCategory,
    byDay: totals.byDay,
    budget: null,
    categories: {},
    upcoming,
  };
  for (const { scope, spent, base, carry, limit } of scopesWithLimits(totals, budget, plans)) {
    const use: BudgetUse = {
      limit, baseLimit: base, carry, spent, remaining: limit - spent, percentUsed: percentUsed(spent, limit), forecast: forecast ? forecast(scope) : null,
    };
    if (scope === 'total') summary.budget = use;
    else summary.categories[scope] = use;
  }
  return summary;
}
