/** Pure state logic for the page: list ordering and updates, per-day sums, budget levels, alert texts. */
import { currencyDecimals, daysInMonth, formatMoney, formatMonth, formatPercent, monthOf, sumMoney } from './format.js';
import type { Alert, Category, Expense } from './types.js';

/** The API's listing order: newest date first, then newest created, then id. */
export function compareExpenses(a: Expense, b: Expense): number {
  const ka = `${a.date}#${a.createdAt}#${a.id}`;
  const kb = `${b.date}#${b.createdAt}#${b.id}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

export interface ListFilter {
  month: string;
  category: Category | '';
}

export function matchesFilter(expense: Expense, filter: ListFilter): boolean {
  return monthOf(expense.date) === filter.month && (filter.category === '' || expense.category === filter.category);
}

/**
 * The shown list after a save: the expense replaces its old version, or drops out when it no
 * longer matches the filter. A new expense older than the last loaded one is left to "load more".
 */
export function upsertExpense(list: Expense[], expense: Expense, filter: ListFilter, hasMore: boolean): Expense[] {
  const rest = list.filter((e) => e.id !== expense.id);
  if (!matchesFilter(expense, filter)) return rest;
  const last = rest[rest.length - 1];
  if (hasMore && last && compareExpenses(expense, last) > 0) return rest;
  return [...rest, expense].sort(compareExpenses);
}

export function removeExpense(list: Expense[], id: string): Expense[] {
  return list.filter((e) => e.id !== id);
}

/** Appends a loaded page, ignoring ids already shown (e.g. an expense added meanwhile). */
export function appendPage(list: Expense[], page: Expense[]): Expense[] {
  const seen = new Set(list.map((e) => e.id));
  return [...list, ...page.filter((e) => !seen.has(e.id))];
}

/** Spending per day of the month (index 0 = day 1), summed in minor units of `currency`, returned in major units. */
export function spendingByDay(expenses: Expense[], month: string, currency: string): number[] {
  const days: number[][] = Array.from({ length: daysInMonth(month) }, () => []);
  for (const e of expenses) {
    if (monthOf(e.date) === month) days[Number(e.date.slice(8, 10)) - 1]!.push(e.amount);
  }
  return days.map((amounts) => sumMoney(amounts, currency));
}

/** The summary's per-day map ("01".."31") as one amount per day of the month (index 0 = day 1). */
export function daysOf(byDay: Record<string, number>, month: string): number[] {
  return Array.from({ length: daysInMonth(month) }, (_, i) => byDay[String(i + 1).padStart(2, '0')] ?? 0);
}

export type BudgetLevel = 'ok' | 'warn' | 'over';

/**
 * Amber from the first threshold (below 100), red at 100% and above. The API floors percentUsed to
 * one decimal, and floor(10x) / 10 >= t exactly when x >= t for a whole t, so the level changes
 * exactly where the server's alert rule fires (99.995% is 99.9%: amber, no 100% alert).
 */
export function budgetLevel(percentUsed: number | null, thresholds: number[]): BudgetLevel {
  // Null: carried overspending left nothing of the limit.
  if (percentUsed === null || percentUsed >= 100) return 'over';
  const first = Math.min(...thresholds.filter((t) => t < 100), Infinity);
  return percentUsed >= first ? 'warn' : 'ok';
}

/** How an alert names its budget: "monthly", or the category's name when the alert was raised. */
export function scopeName(alert: Pick<Alert, 'scope' | 'scopeName'>): string {
  return alert.scope === 'total' ? 'monthly' : alert.scopeName;
}

/**
 * "You have used 106% of your monthly budget for November 2026 (the 100% alert)": the share used
 * when the alert was raised (floored, exact in minor units), which may be past its threshold. A
 * forecast alert says where the month is heading instead.
 */
export function alertMessage(alert: Alert, currency: string, locale?: string): string {
  const month = formatMonth(alert.month, locale);
  if (alert.kind === 'forecast' && alert.forecast != null) {
    return `At this pace you will spend ${formatMoney(alert.forecast, currency, locale)} of your ${formatMoney(alert.limit, currency, locale)} ${scopeName(alert)} budget by the end of ${month} (the ${alert.threshold}% forecast alert)`;
  }
  const scale = 10 ** currencyDecimals(currency);
  const limit = Math.round(alert.limit * scale);
  const tenths = limit > 0 ? Math.floor((Math.round(alert.spent * scale) * 1000) / limit) : alert.threshold * 10;
  const used = formatPercent(tenths / 10, locale);
  return `You have used ${used} of your ${scopeName(alert)} budget for ${month}${tenths === alert.threshold * 10 ? '' : ` (the ${alert.threshold}% alert)`}`;
}

export const DELIVERY_LABELS: Record<Alert['delivery'], string> = {
  pending: 'Email pending',
  sent: 'Email sent',
  failed: 'Email failed',
  no_email: 'No email: no alert address set',
  suppressed: 'No email: imported into a past month',
};
