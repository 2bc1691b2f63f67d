import { invalidFields } from './errors.js';
import type { MinorUnits } from './money.js';

/** One budget per user; it applies to every month. Limits are in minor units. */
export interface Budget {
  currency: string;
  monthlyLimit: MinorUnits | null;
  /** By category id. */
  categoryLimits: Record<string, MinorUnits>;
  /** Percentages of a limit that raise an alert, ascending. */
  thresholds: number[];
  alertEmail: string | null;
  /** IANA name: "today" and "this month" are this zone's. */
  timeZone: string;
  /** Scopes ('total': the monthly limit, or a category id with a limit) whose leftover or overspending carries into the next month. */
  rollover: string[];
  /** Thresholds (each one of `thresholds`) that also alert when the month-end forecast reaches them. */
  forecastThresholds: number[];
  /** Email a report of each month that ended, on the 1st (needs `alertEmail`). */
  monthlyReport: boolean;
}

export const DEFAULT_BUDGET: Budget = Object.freeze({
  currency: 'USD',
  monthlyLimit: null,
  categoryLimits: {},
  thresholds: [80, 100],
  alertEmail: null,
  timeZone: 'UTC',
  rollover: [],
  forecastThresholds: [],
  monthlyReport: false,
}) as Budget;

/** The problems of a budget that lie within it, by field: what carries over must have a limit, and so on. */
export function budgetProblems(budget: Budget): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const scope of budget.rollover) {
    const hasLimit = scope === 'total' ? budget.monthlyLimit !== null : budget.categoryLimits[scope] !== undefined;
    if (!hasLimit) fields[scope === 'total' ? 'rollover.monthlyLimit' : `rollover.categoryLimits.${scope}`] = 'has no limit to carry over; set the limit too';
  }
  const extra = budget.forecastThresholds.filter((t) => !budget.thresholds.includes(t));
  if (extra.length) fields.forecastThresholds = `must each be one of thresholds (${budget.thresholds.join(', ')}); ${extra.join(', ')} is not`;
  if (budget.monthlyReport && budget.alertEmail === null) fields.monthlyReport = 'needs alertEmail: the report is emailed there';
  return fields;
}

/**
 * Throws a ValidationError naming every problem: `earlier` ones (found without the stored budget)
 * and each limit on a category that is not one of `categoryIds` (unknown, or archived).
 */
export function checkCategoryLimits(budget: Budget, categoryIds: readonly string[], earlier: Record<string, string> = {}): void {
  const fields = { ...earlier };
  for (const id of Object.keys(budget.categoryLimits)) {
    if (!categoryIds.includes(id)) fields[`categoryLimits.${id}`] ??= 'is not one of your categories, or is archived (GET /api/categories lists them)';
  }
  if (Object.keys(fields).length) throw invalidFields(fields);
}

export const MAX_THRESHOLDS = 5;
export const MAX_THRESHOLD_PERCENT = 1000;
