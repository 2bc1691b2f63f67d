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
}

export const DEFAULT_BUDGET: Budget = Object.freeze({
  currency: 'USD',
  monthlyLimit: null,
  categoryLimits: {},
  thresholds: [80, 100],
  alertEmail: null,
  timeZone: 'UTC',
}) as Budget;

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
