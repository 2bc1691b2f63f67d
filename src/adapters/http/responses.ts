import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Logger } from '../../application/ports.js';
import { DependencyUnavailableError, type ExpenseWriteResult } from '../../application/ports.js';
import type { Alert } from '../../domain/alert.js';
import type { Budget } from '../../domain/budget.js';
import type { Category } from '../../domain/category.js';
import {
  AlertEmailTakenError, CategoryExistsError, CategoryInUseError, CurrencyInUseError, DomainError, ExpiredUnsubscribeLinkError, IdempotencyKeyReusedError, ImportStateError,
  NotFoundError, RateLimitedError, TooManyCategoriesError, ValidationError,
} from '../../domain/errors.js';
import type { Expense } from '../../domain/expense.js';
import { toMajorUnits } from '../../domain/money.js';
import type { BudgetUse, MonthSummary } from '../../domain/summary.js';
import type { TrendMonth } from '../../domain/trends.js';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

/** Errors that only exist at the HTTP edge (routing, headers, body framing, identity). */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** A CSV download; `next` (a relative reference) becomes a `Link: <next>; rel="next"` header when more pages follow. */
/** A small HTML page (the unsubscribe link is opened in a browser, from an email). */
export function page(statusCode: number, title: string, bodyHtml: string): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'" },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>`
      + `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">${bodyHtml}</body></html>`,
  };
}

export function csv(body: string, filename: string, next?: string): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      ...(next ? { link: `<${next}>; rel="next"` } : {}),
    },
    body,
  };
}

/** The one place where errors become HTTP responses. A 500 never shows internals. */
export function errorResponse(error: unknown, logger: Logger): HttpResponse {
  const body = (code: string, message: string, fields?: Record<string, string>) =>
    ({ error: { code, message, ...(fields ? { fields } : {}) } });
  if (error instanceof HttpError) return json(error.status, body(error.code, error.message), error.headers);
  if (error instanceof ValidationError) return json(400, body(error.code, error.message, error.fields));
  if (error instanceof NotFoundError) return json(404, body(error.code, error.message));
  if (error instanceof IdempotencyKeyReusedError) return json(422, body(error.code, error.message));
  if (error instanceof AlertEmailTakenError) return json(409, body(error.code, error.message, { alertEmail: 'already receives another account\'s alerts' }));
  if (error instanceof CategoryExistsError) return json(409, body(error.code, error.message, { name: 'is taken by another of your categories' }));
  if (error instanceof TooManyCategoriesError || error instanceof CategoryInUseError || error instanceof ImportStateError) return json(409, body(error.code, error.message));
  if (error instanceof CurrencyInUseError) return json(409, body(error.code, error.message, { currency: 'cannot change while expenses are recorded' }));
  if (error instanceof ExpiredUnsubscribeLinkError) return json(410, body(error.code, error.message));
  if (error instanceof RateLimitedError) return json(429, body(error.code, error.message), { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof DomainError) return json(400, body(error.code, error.message));
  if (error instanceof DependencyUnavailableError) {
    logger.error('dependency unavailable', { error: error.message });
    return json(503, body('SERVICE_UNAVAILABLE', 'The service is busy; please retry shortly'), { 'retry-after': String(error.retryAfterSeconds) });
  }
  logger.error('unhandled error', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return json(500, body('INTERNAL', 'internal error'));
}

// What the API shows: amounts in major units, with the currency's own decimals (JPY none, KWD three).

export function expenseJson(expense: Expense, currency: string) {
  return {
    id: expense.id,
    amount: toMajorUnits(expense.amount, currency),
    category: expense.category,
    date: expense.date,
    ...(expense.description !== undefined ? { description: expense.description } : {}),
    ...(expense.original ? { original: { amount: toMajorUnits(expense.original.amount, expense.original.currency), currency: expense.original.currency } } : {}),
    ...(expense.recurringId ? { recurringId: expense.recurringId } : {}),
    createdAt: expense.createdAt,
    updatedAt: expense.updatedAt,
  };
}

export function expenseWriteJson({ expense, alerts, currency }: ExpenseWriteResult) {
  return { expense: expenseJson(expense, currency), alerts: alerts.map((a) => alertJson(a, currency)) };
}

export function categoryJson(category: Category) {
  return { id: category.id, name: category.name, color: category.color, archived: category.archived };
}

export function alertJson(alert: Alert, currency: string) {
  return {
    id: alert.id,
    kind: alert.kind,
    month: alert.month,
    scope: alert.scope,
    scopeName: alert.scopeName,
    threshold: alert.threshold,
    spent: toMajorUnits(alert.spent, currency),
    forecast: alert.forecast === null ? null : toMajorUnits(alert.forecast, currency),
    limit: toMajorUnits(alert.limit, currency),
    createdAt: alert.createdAt,
    delivery: alert.delivery,
  };
}

export function budgetJson(budget: Budget) {
  return {
    currency: budget.currency,
    monthlyLimit: budget.monthlyLimit === null ? null : toMajorUnits(budget.monthlyLimit, budget.currency),
    categoryLimits: majorUnitsMap(budget.categoryLimits, budget.currency),
    thresholds: budget.thresholds,
    alertEmail: budget.alertEmail,
    timeZone: budget.timeZone,
    rollover: {
      monthlyLimit: budget.rollover.includes('total'),
      categoryLimits: Object.fromEntries(budget.rollover.filter((scope) => scope !== 'total').map((scope) => [scope, true])),
    },
    forecastThresholds: budget.forecastThresholds,
    monthlyReport: budget.monthlyReport,
  };
}

function budgetUseJson(use: BudgetUse, currency: string) {
  const major = (units: number) => toMajorUnits(units, currency);
  return {
    limit: major(use.limit), baseLimit: major(use.baseLimit), carry: major(use.carry),
    spent: major(use.spent), remaining: major(use.remaining), percentUsed: use.percentUsed,
    forecast: use.forecast === null ? null : major(use.forecast),
  };
}

export function summaryJson(summary: MonthSummary) {
  return {
    month: summary.month,
    currency: summary.currency,
    total: toMajorUnits(summary.total, summary.currency),
    count: summary.count,
    byCategory: majorUnitsMap(summary.byCategory, summary.currency),
    byDay: summary.byDay === null ? null : majorUnitsMap(summary.byDay, summary.currency),
    budget: summary.budget ? budgetUseJson(summary.budget, summary.currency) : null,
    categories: Object.fromEntries(Object.entries(summary.categories).map(([c, use]) => [c, budgetUseJson(use, summary.currency)])),
    upcoming: {
      total: toMajorUnits(summary.upcoming.total, summary.currency),
      items: summary.upcoming.items.map((item) => ({ ...item, amount: toMajorUnits(item.amount, summary.currency) })),
    },
  };
}

export function trendsJson(trends: { currency: string; months: TrendMonth[] }) {
  const major = (units: number) => toMajorUnits(units, trends.currency);
  return {
    currency: trends.currency,
    months: trends.months.map((m) => ({
      month: m.month, total: major(m.total), count: m.count, byCategory: majorUnitsMap(m.byCategory, trends.currency),
      limit: m.limit === null ? null : major(m.limit), categoryLimits: majorUnitsMap(m.categoryLimits, trends.currency),
      change: { amount: major(m.change.amount), percent: m.change.percent },
    })),
  };
}

function majorUnitsMap(map: Partial<Record<string, number>>, currency: string): Record<string, number> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, toMajorUnits(v!, currency)]));
}
