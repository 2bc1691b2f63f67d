import type { Category } from './expense.js';
import type { MinorUnits } from './money.js';

/** One budget per user; it applies to every month. Limits are in minor units. */
export interface Budget {
  currency: string;
  monthlyLimit: MinorUnits | null;
  categoryLimits: Partial<Record<Category, MinorUnits>>;
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

export const MAX_THRESHOLDS = 5;
export const MAX_THRESHOLD_PERCENT = 1000;
