import type { Budget } from './budget.js';
import { monthNumber } from './expense.js';
import type { MinorUnits } from './money.js';

/*
 * Carry-over ("rollover"): for a scope marked so, a month's effective limit is its base limit plus
 * what the months since carrying started left over (overspending counts, and lowers it):
 *
 *   carry(m) = sum over months i from `since` to m-1 of (base limit(i) - spent(i)),  carry(since) = 0
 *
 * The base limits come from the plan below (a limit change applies from the month it is made, so
 * earlier months keep the limit they had); the spending comes from `carrySpent` on each month's
 * totals, kept up to date by every write (see month-totals.ts), so no read sums months.
 */

/** When a scope started carrying over, and the base limit each month has had since. */
export interface CarryPlan {
  /** The month carrying started (YYYY-MM): it carries nothing in; no earlier month counts. */
  since: string;
  /** Oldest first; each applies from `from` until the next one's month. */
  limits: { from: string; amount: MinorUnits }[];
}

/** By scope: 'total' or a category id. */
export type CarryPlans = Record<string, CarryPlan>;

/** The scope's limit as the budget states it now; null when it has none. */
export function budgetLimit(budget: Budget, scope: string): MinorUnits | null {
  return scope === 'total' ? budget.monthlyLimit : budget.categoryLimits[scope] ?? null;
}

/**
 * The plans after `budget` is saved in `month` (its time zone's current month): a scope newly
 * marked starts carrying this month; a changed limit applies from this month on; unmarked scopes
 * stop (marking one again later starts afresh).
 */
export function updateCarryPlans(plans: CarryPlans, budget: Budget, month: string): CarryPlans {
  const next: CarryPlans = {};
  for (const scope of budget.rollover) {
    const amount = budgetLimit(budget, scope);
    if (amount === null) continue;
    const plan = plans[scope];
    if (!plan) next[scope] = { since: month, limits: [{ from: month, amount }] };
    else if (baseLimitIn(plan, month) === amount && plan.limits.every((l) => l.from <= month)) next[scope] = plan;
    else next[scope] = { since: plan.since, limits: [...plan.limits.filter((l) => l.from < month), { from: month, amount }] };
  }
  return next;
}

/** The base limit the plan gives `month` (the first one for months before it began). */
export function baseLimitIn(plan: CarryPlan, month: string): MinorUnits {
  let amount = plan.limits[0]!.amount;
  for (const limit of plan.limits) if (limit.from <= month) amount = limit.amount;
  return amount;
}

/** The base limits of the months from `since` through the month before `month`, summed. */
export function plannedBefore(plan: CarryPlan, month: string): MinorUnits {
  const end = monthNumber(month);
  let sum = 0;
  plan.limits.forEach((limit, i) => {
    const from = Math.max(monthNumber(plan.since), i === 0 ? -Infinity : monthNumber(limit.from));
    const until = Math.min(end, i + 1 < plan.limits.length ? monthNumber(plan.limits[i + 1]!.from) : end);
    if (until > from) sum += limit.amount * (until - from);
  });
  return sum;
}

/** What carries into `month`, given what the scope spent from `since` through the month before. */
export function carryInto(plan: CarryPlan, month: string, spentBefore: MinorUnits): MinorUnits {
  return month <= plan.since ? 0 : plannedBefore(plan, month) - spentBefore;
}
