import type { Budget } from './budget.js';
import { baseLimitIn, budgetLimit, carryInto, type CarryPlans } from './carry.js';
import { daysInMonth } from './expense.js';
import { formatMoney, percentUsed, reachesThreshold, type MinorUnits } from './money.js';
import { spentIn, type MonthTotals } from './month-totals.js';

/** "total" is the monthly limit; a category id is that category's limit. */
export type AlertScope = string;

/** The scope name of the monthly limit's alerts. */
export const TOTAL_SCOPE_NAME = 'Total';
/**
 * `no_email`: the user had no alert address when it was due, so no email was sent (nor will be).
 * `suppressed`: raised by an import in a month already over; recorded, never emailed.
 */
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'no_email' | 'suppressed';

/** `actual`: spending reached the threshold. `forecast`: the month-end forecast did (spending had not). */
export type AlertKind = 'actual' | 'forecast';

export interface Alert {
  /** Derived from (month, scope, threshold, kind): the key itself guarantees one alert per quadruple. */
  id: string;
  kind: AlertKind;
  month: string;
  scope: AlertScope;
  /** The scope's name when the alert was raised ("Total", or the category's name then): a later rename leaves it. */
  scopeName: string;
  threshold: number;
  spent: MinorUnits;
  /** The month-end forecast that raised a forecast alert; null for an actual one. */
  forecast: MinorUnits | null;
  /** The effective limit: the base limit plus any carry-over. */
  limit: MinorUnits;
  createdAt: string;
  delivery: DeliveryState;
}

export function alertId(month: string, scope: AlertScope, threshold: number, kind: AlertKind = 'actual'): string {
  return kind === 'actual' ? `${month}_${scope}_${threshold}` : `${month}_${scope}_${threshold}_forecast`;
}

/** Oldest first; alerts raised by the same write come in scope order, lower threshold first. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.scope !== b.scope) return a.scope === 'total' ? -1 : b.scope === 'total' ? 1 : a.scope < b.scope ? -1 : 1;
  if (a.threshold !== b.threshold) return a.threshold - b.threshold;
  return a.kind === b.kind ? 0 : a.kind === 'actual' ? -1 : 1;
}

function alertedKey(scope: AlertScope, threshold: number, kind: AlertKind): string {
  return kind === 'actual' ? `${scope}#${threshold}` : `${scope}#${threshold}#forecast`;
}

/** A scope's month: what it spent, its base limit, what carried in, and the limit that applies (base + carry). */
export interface ScopeUse {
  scope: AlertScope;
  spent: MinorUnits;
  base: MinorUnits;
  carry: MinorUnits;
  limit: MinorUnits;
}

/**
 * The scopes of a budget that have a limit, with what the month spent in each and its effective
 * limit. A carry-over scope's base is the limit its plan gave that month (earlier months keep
 * theirs); other scopes apply today's limit to every month.
 */
export function scopesWithLimits(totals: MonthTotals, budget: Budget, plans: CarryPlans): ScopeUse[] {
  const scopes = [...(budget.monthlyLimit !== null ? ['total'] : []), ...Object.keys(budget.categoryLimits)];
  return scopes.map((scope) => {
    const plan = plans[scope];
    const base = plan && totals.month >= plan.since ? baseLimitIn(plan, totals.month) : budgetLimit(budget, scope)!;
    const carry = plan ? carryInto(plan, totals.month, totals.carrySpent[scope] ?? 0) : 0;
    return { scope, spent: spentIn(totals, scope), base, carry, limit: base + carry };
  });
}

/** The alerts with each category scope named as `names` (id -> name) has it; total and unknown ids keep theirs. */
export function nameAlerts(alerts: Alert[], names: ReadonlyMap<string, string>): Alert[] {
  return alerts.map((alert) => (alert.scope === 'total' ? alert : { ...alert, scopeName: names.get(alert.scope) ?? alert.scopeName }));
}

/**
 * The alert rule: for each scope with a limit and each threshold t, raise one alert when spending
 * reached t% of the (effective) limit and this month has not alerted (scope, t) before. With
 * `forecast` (the current month's month-end forecast per scope), each of the budget's forecast
 * thresholds t that spending has not reached (nor ever alerted) raises one forecast alert when the
 * forecast reaches it. Returns the new alerts and the totals with them remembered. `suppressed`
 * alerts are recorded but never emailed.
 */
export function raiseAlerts(
  totals: MonthTotals, budget: Budget, plans: CarryPlans, now: Date,
  options: { suppressed?: boolean; forecast?: (scope: AlertScope) => MinorUnits } = {},
): { alerts: Alert[]; totals: MonthTotals } {
  const alerted = new Set(totals.alerted);
  const alerts: Alert[] = [];
  const raise = (use: ScopeUse, threshold: number, kind: AlertKind, forecast: MinorUnits | null) => {
    alerted.add(alertedKey(use.scope, threshold, kind));
    alerts.push({
      id: alertId(totals.month, use.scope, threshold, kind), kind,
      month: totals.month, scope: use.scope, scopeName: use.scope === 'total' ? TOTAL_SCOPE_NAME : use.scope, threshold,
      spent: use.spent, forecast, limit: use.limit,
      createdAt: now.toISOString(),
      delivery: options.suppressed ? 'suppressed' : budget.alertEmail ? 'pending' : 'no_email',
    });
  };
  for (const use of scopesWithLimits(totals, budget, plans)) {
    for (const threshold of budget.thresholds) {
      if (!alerted.has(alertedKey(use.scope, threshold, 'actual')) && reachesThreshold(use.spent, use.limit, threshold)) raise(use, threshold, 'actual', null);
    }
    if (!options.forecast) continue;
    const forecast = options.forecast(use.scope);
    for (const threshold of budget.forecastThresholds) {
      if (alerted.has(alertedKey(use.scope, threshold, 'actual')) || alerted.has(alertedKey(use.scope, threshold, 'forecast'))) continue;
      if (reachesThreshold(forecast, use.limit, threshold)) raise(use, threshold, 'forecast', forecast);
    }
  }
  return { alerts, totals: alerts.length ? { ...totals, alerted: [...alerted] } : totals };
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** The email a person receives: what was spent (or, for a forecast, will be), against which limit, in which month. */
export function describeAlert(alert: Alert, currency: string): { subject: string; body: string } {
  const scopeName = alert.scope === 'total' ? 'monthly' : alert.scopeName;
  const period = monthName(alert.month);
  const money = (units: MinorUnits) => formatMoney(units, currency);
  const details = [
    `Spent: ${money(alert.spent)}`,
    ...(alert.forecast !== null ? [`Forecast for the month: ${money(alert.forecast)}`] : []),
    `Limit: ${money(alert.limit)}`,
    `Threshold: ${alert.threshold}%`,
    `Scope: ${alert.scope === 'total' ? 'total monthly spending' : `category ${alert.scopeName}`}`,
    `Month: ${alert.month}`,
  ];
  if (alert.forecast !== null) {
    const monthEnd = `${daysInMonth(alert.month)} ${MONTH_NAMES[Number(alert.month.slice(5, 7)) - 1]}`;
    return {
      subject: `Budget forecast: at this pace you will reach ${alert.threshold}% of your ${scopeName} budget (${period})`,
      body: [`At this pace you will spend ${money(alert.forecast)} of your ${money(alert.limit)} ${scopeName} budget by ${monthEnd}.`, '', ...details].join('\n'),
    };
  }
  const used = percentUsed(alert.spent, alert.limit);
  return {
    subject: `Budget alert: ${alert.threshold}% of your ${scopeName} budget used (${period})`,
    body: [
      used === null
        ? `You have spent ${money(alert.spent)} in ${period}, and overspending carried from earlier months left nothing of your ${scopeName} budget.`
        : `You have used ${used}% of your ${scopeName} budget for ${period}.`,
      '',
      ...details,
    ].join('\n'),
  };
}
