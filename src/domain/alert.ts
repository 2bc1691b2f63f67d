import type { Budget } from './budget.js';
import { formatMoney, percentUsed, reachesThreshold, type MinorUnits } from './money.js';
import type { MonthTotals } from './month-totals.js';

/** "total" is the monthly limit; a category id is that category's limit. */
export type AlertScope = string;

/** The scope name of the monthly limit's alerts. */
export const TOTAL_SCOPE_NAME = 'Total';
/**
 * `no_email`: the user had no alert address when it was due, so no email was sent (nor will be).
 * `suppressed`: raised by an import in a month already over; recorded, never emailed.
 */
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'no_email' | 'suppressed';

export interface Alert {
  /** Derived from (month, scope, threshold): the key itself guarantees one alert per triple. */
  id: string;
  month: string;
  scope: AlertScope;
  /** The scope's name when the alert was raised ("Total", or the category's name then): a later rename leaves it. */
  scopeName: string;
  threshold: number;
  spent: MinorUnits;
  limit: MinorUnits;
  createdAt: string;
  delivery: DeliveryState;
}

export function alertId(month: string, scope: AlertScope, threshold: number): string {
  return `${month}_${scope}_${threshold}`;
}

/** Oldest first; alerts raised by the same write come in scope order, lower threshold first. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.scope !== b.scope) return a.scope === 'total' ? -1 : b.scope === 'total' ? 1 : a.scope < b.scope ? -1 : 1;
  return a.threshold - b.threshold;
}

function alertedKey(scope: AlertScope, threshold: number): string {
  return `${scope}#${threshold}`;
}

/** The scopes of a budget that have a limit, with what the month spent in each. */
export function scopesWithLimits(totals: MonthTotals, budget: Budget): { scope: AlertScope; spent: MinorUnits; limit: MinorUnits }[] {
  const scopes: { scope: AlertScope; spent: MinorUnits; limit: MinorUnits }[] = [];
  if (budget.monthlyLimit !== null) scopes.push({ scope: 'total', spent: totals.total, limit: budget.monthlyLimit });
  for (const [category, limit] of Object.entries(budget.categoryLimits)) {
    scopes.push({ scope: category, spent: totals.byCategory[category] ?? 0, limit });
  }
  return scopes;
}

/** The alerts with each category scope named as `names` (id -> name) has it; total and unknown ids keep theirs. */
export function nameAlerts(alerts: Alert[], names: ReadonlyMap<string, string>): Alert[] {
  return alerts.map((alert) => (alert.scope === 'total' ? alert : { ...alert, scopeName: names.get(alert.scope) ?? alert.scopeName }));
}

/**
 * The alert rule: for each scope with a limit and each threshold t, raise one alert when spending
 * reached t% of the limit and this month has not alerted (scope, t) before. Returns the new alerts
 * and the totals with those alerts remembered. `suppressed` alerts are recorded but never emailed.
 */
export function raiseAlerts(totals: MonthTotals, budget: Budget, now: Date, suppressed = false): { alerts: Alert[]; totals: MonthTotals } {
  const alerted = new Set(totals.alerted);
  const alerts: Alert[] = [];
  for (const { scope, spent, limit } of scopesWithLimits(totals, budget)) {
    for (const threshold of budget.thresholds) {
      const key = alertedKey(scope, threshold);
      if (alerted.has(key) || !reachesThreshold(spent, limit, threshold)) continue;
      alerted.add(key);
      alerts.push({
        id: alertId(totals.month, scope, threshold),
        month: totals.month, scope, scopeName: scope === 'total' ? TOTAL_SCOPE_NAME : scope, threshold, spent, limit,
        createdAt: now.toISOString(),
        delivery: suppressed ? 'suppressed' : budget.alertEmail ? 'pending' : 'no_email',
      });
    }
  }
  return { alerts, totals: alerts.length ? { ...totals, alerted: [...alerted] } : totals };
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** The email a person receives: what was spent, against which limit, in which month. */
export function describeAlert(alert: Alert, currency: string): { subject: string; body: string } {
  const scopeName = alert.scope === 'total' ? 'monthly' : alert.scopeName;
  const period = monthName(alert.month);
  const used = percentUsed(alert.spent, alert.limit);
  return {
    subject: `Budget alert: ${alert.threshold}% of your ${scopeName} budget used (${period})`,
    body: [
      `You have used ${used}% of your ${scopeName} budget for ${period}.`,
      '',
      `Spent: ${formatMoney(alert.spent, currency)}`,
      `Limit: ${formatMoney(alert.limit, currency)}`,
      `Threshold: ${alert.threshold}%`,
      `Scope: ${alert.scope === 'total' ? 'total monthly spending' : `category ${alert.scopeName}`}`,
      `Month: ${alert.month}`,
    ].join('\n'),
  };
}
