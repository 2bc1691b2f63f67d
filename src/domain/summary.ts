import { scopesWithLimits } from './alert.js';
import type { Budget } from './budget.js';
import { percentUsed, type MinorUnits } from './money.js';
import type { MonthTotals } from './month-totals.js';

export interface BudgetUse {
  limit: MinorUnits;
  spent: MinorUnits;
  remaining: MinorUnits;
  percentUsed: number;
}

export interface MonthSummary {
  month: string;
  currency: string;
  total: MinorUnits;
  count: number;
  byCategory: Record<string, MinorUnits>;
  budget: BudgetUse | null;
  categories: Record<string, BudgetUse>;
}

export function summarize(totals: MonthTotals, budget: Budget): MonthSummary {
  const summary: MonthSummary = {
    month: totals.month,
    currency: budget.currency,
    total: totals.total,
    count: totals.count,
    byCategory: totals.byCategory,
    budget: null,
    categories: {},
  };
  for (const { scope, spent, limit } of scopesWithLimits(totals, budget)) {
    const use = { limit, spent, remaining: limit - spent, percentUsed: percentUsed(spent, limit) };
    if (scope === 'total') summary.budget = use;
    else summary.categories[scope] = use;
  }
  return summary;
}
