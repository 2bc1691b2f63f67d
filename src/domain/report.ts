import { monthName, scopesWithLimits, type Alert, type ScopeUse } from './alert.js';
import type { Budget } from './budget.js';
import type { CarryPlans } from './carry.js';
import { addMonths, type Expense } from './expense.js';
import { formatMoney, percentChange, percentUsed, type MinorUnits } from './money.js';
import type { MonthTotals } from './month-totals.js';
import type { UpcomingOccurrence } from './summary.js';
import { startOfLocalDay } from './time-zone.js';

/** How many of the month's expenses the report lists, largest first. */
export const LARGEST_EXPENSES = 5;

/** What the monthly report says about a month that ended; the HTML and text parts are rendered from it. */
export interface MonthReport {
  month: string;
  currency: string;
  total: MinorUnits;
  count: number;
  /** The month before's total; null when the user recorded nothing then. */
  previousTotal: MinorUnits | null;
  /** The monthly limit's use (base, carry, effective limit); null without one. */
  budget: ScopeUse | null;
  /** Every category with spending or a limit, most spent first. */
  categories: { id: string; name: string; spent: MinorUnits; use: ScopeUse | null }[];
  largest: { date: string; description: string | null; category: string; amount: MinorUnits }[];
  alerts: { scopeName: string; threshold: number; kind: Alert['kind'] }[];
  /** Next month's recurring bills known now, by date, and their sum. */
  bills: { date: string; description: string | null; category: string; amount: MinorUnits }[];
  billsTotal: MinorUnits;
}

export function buildMonthReport(input: {
  totals: MonthTotals;
  previous: MonthTotals | null;
  budget: Budget;
  plans: CarryPlans;
  /** Category names by id. */
  names: ReadonlyMap<string, string>;
  expenses: Expense[];
  alerts: Alert[];
  bills: UpcomingOccurrence[];
}): MonthReport {
  const { totals, budget, names } = input;
  const nameOf = (id: string) => names.get(id) ?? id;
  const uses = new Map(scopesWithLimits(totals, budget, input.plans).map((use) => [use.scope, use]));
  const categoryIds = new Set([...Object.keys(totals.byCategory), ...Object.keys(budget.categoryLimits)]);
  const categories = [...categoryIds]
    .map((id) => ({ id, name: nameOf(id), spent: totals.byCategory[id] ?? 0, use: uses.get(id) ?? null }))
    .sort((a, b) => b.spent - a.spent || a.name.localeCompare(b.name));
  const largest = [...input.expenses]
    .sort((a, b) => b.amount - a.amount || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .slice(0, LARGEST_EXPENSES)
    .map((e) => ({ date: e.date, description: e.description ?? null, category: nameOf(e.category), amount: e.amount }));
  return {
    month: totals.month,
    currency: budget.currency,
    total: totals.total,
    count: totals.count,
    previousTotal: input.previous && input.previous.count > 0 ? input.previous.total : null,
    budget: uses.get('total') ?? null,
    categories,
    largest,
    alerts: input.alerts.map((a) => ({ scopeName: a.scope === 'total' ? 'Monthly' : a.scopeName, threshold: a.threshold, kind: a.kind })),
    bills: input.bills.map((b) => ({ date: b.date, description: b.description ?? null, category: nameOf(b.category), amount: b.amount })),
    billsTotal: input.bills.reduce((sum, b) => sum + b.amount, 0),
  };
}

/** "+12.5%" or "-3%" of the month before, exactly (truncated to one decimal); null without a month before or from zero. */
export function changeFromPrevious(report: MonthReport): string | null {
  const percent = report.previousTotal === null ? null : percentChange(report.previousTotal, report.total);
  return percent === null ? null : `${percent > 0 ? '+' : ''}${percent}%`;
}

function useText(use: ScopeUse, currency: string): string {
  const money = (units: MinorUnits) => formatMoney(units, currency);
  const percent = percentUsed(use.spent, use.limit);
  const carry = use.carry === 0 ? '' : ` (${money(use.base)} ${use.carry > 0 ? '+' : '-'} ${money(Math.abs(use.carry))} carried over)`;
  return `${money(use.spent)} of ${money(use.limit)}${carry}${percent === null ? ', nothing was left' : `, ${percent}%`}`;
}

function billLine(bill: MonthReport['bills'][number], currency: string): string {
  return `${bill.date} ${bill.description ?? bill.category}: ${formatMoney(bill.amount, currency)}`;
}

/** The report's lines, section by section: the text part is these, the HTML part the same in markup. */
function sections(report: MonthReport): { heading: string; lines: string[] }[] {
  const money = (units: MinorUnits) => formatMoney(units, report.currency);
  const change = changeFromPrevious(report);
  const overview = [
    `Spent: ${money(report.total)} in ${report.count} expense${report.count === 1 ? '' : 's'}`,
    ...(report.budget ? [`Budget: ${useText(report.budget, report.currency)}`] : []),
    report.previousTotal === null ? 'The month before: nothing recorded'
      : `The month before: ${money(report.previousTotal)}${change ? ` (${change})` : ''}`,
  ];
  return [
    { heading: 'Overview', lines: overview },
    { heading: 'By category', lines: report.categories.length ? report.categories.map((c) => `${c.name}: ${c.use ? useText(c.use, report.currency) : money(c.spent)}`) : ['Nothing spent'] },
    { heading: `Largest expenses`, lines: report.largest.length ? report.largest.map((e) => `${e.date} ${e.description ?? e.category}: ${money(e.amount)}${e.description ? ` (${e.category})` : ''}`) : ['None'] },
    { heading: 'Alerts', lines: report.alerts.length ? report.alerts.map((a) => `${a.scopeName} budget: ${a.threshold}%${a.kind === 'forecast' ? ' forecast' : ''}`) : ['No alert this month'] },
    { heading: 'Bills next month', lines: report.bills.length ? [...report.bills.map((b) => billLine(b, report.currency)), `Together: ${money(report.billsTotal)}`] : ['No recurring bill'] },
  ];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as Record<string, string>)[c]};`);

/** The email: subject, a plain-text part and an HTML part with the same content; `unsubscribeUrl` ends both. */
export function renderMonthReport(report: MonthReport, unsubscribeUrl: string): { subject: string; text: string; html: string } {
  const period = monthName(report.month);
  const subject = `Your spending in ${period}: ${formatMoney(report.total, report.currency)}`;
  const parts = sections(report);
  const text = [
    `Your spending in ${period}`,
    '',
    ...parts.flatMap(({ heading, lines }) => [heading, ...lines.map((line) => `- ${line}`), '']),
    `Stop these monthly reports: ${unsubscribeUrl}`,
  ].join('\n');
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>', escapeHtml(subject), '</title></head>',
    '<body style="font-family:system-ui,sans-serif;color:#1d2330;max-width:40rem">',
    `<h1 style="font-size:1.3rem">Your spending in ${escapeHtml(period)}</h1>`,
    ...parts.map(({ heading, lines }) => `<h2 style="font-size:1.05rem">${escapeHtml(heading)}</h2><ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`),
    `<p style="font-size:.85rem;color:#5b6475"><a href="${escapeHtml(unsubscribeUrl)}">Stop these monthly reports</a></p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}

/** Reports go out on the 1st at this hour of the user's own time zone. */
export const REPORT_HOUR = 8;

/** When the report of `month` is due: the 1st of the month after it, REPORT_HOUR in `timeZone` (epoch ms). */
export function reportDueAt(month: string, timeZone: string): number {
  return startOfLocalDay(`${addMonths(month, 1)}-01`, timeZone).getTime() + REPORT_HOUR * 3_600_000;
}
