import { CATEGORY_ID } from '../../domain/category.js';
import { exportCsv } from '../csv/csv-export.js';
import {
  parseBudgetBody, parseCategoryPatch, parseExpenseBody, parseExportQuery, parseListQuery, parseMonth, parseMoveTo, parseNewCategoryBody, parseOptionalMonth,
} from './request-bodies.js';
import { alertJson, budgetJson, categoryJson, csv, expenseJson, expenseWriteJson, HttpError, json, page, summaryJson, trendsJson } from './responses.js';
import { parseRecurrenceBody, recurrenceJson } from './recurrence-bodies.js';
import { uuidSegment, type Route } from './router.js';
import type { CoreDependencies } from './api-handler.js';

/** The API's routes but imports: expenses, summaries, budget, alerts, categories, export (the API Lambda). */
export function apiRoutes(deps: CoreDependencies): Route[] {
  return [
    { pattern: /^\/api\/health$/, public: true, methods: { GET: async () => json(200, { status: 'ok' }) } },
    // The monthly report's unsubscribe link, signed, so it works without signing in. A mail client's
    // one-click POST (RFC 8058) turns the report off; a GET (a person, or a link scanner opening the
    // link) only shows the button that does, so nothing is turned off by a prefetch.
    { pattern: /^\/api\/reports\/unsubscribe$/, public: true, methods: {
      GET: async (r) => {
        const token = unsubscribeToken(r.query);
        return page(200, 'Monthly report', '<h1>Stop the monthly report?</h1><p>Your budget alerts are not affected.</p>'
          + `<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Stop the monthly report</button></form>`);
      },
      POST: async (r) => {
        await deps.unsubscribeMonthlyReport.execute(unsubscribeToken(r.query));
        return page(200, 'Monthly report stopped', '<h1>The monthly report is off</h1><p>You can turn it on again on the page, under Budget.</p>');
      },
    } },
    { pattern: /^\/api\/expenses$/, methods: {
      POST: async (r) => {
        const { input, problems } = parseExpenseBody(r.body());
        return json(201, expenseWriteJson(await deps.addExpense.execute(r.userId, input, idempotencyKey(r.headers), problems)));
      },
      GET: async (r) => {
        const page = await deps.listExpenses.execute(r.userId, parseListQuery(r.query));
        return json(200, { items: page.items.map((e) => expenseJson(e, page.currency)), nextCursor: page.nextCursor });
      },
    } },
    { pattern: /^\/api\/expenses\/([^/]+)$/, idOf: expenseId, methods: {
      GET: async (r) => {
        const { expense, currency } = await deps.getExpense.execute(r.userId, r.id);
        return json(200, expenseJson(expense, currency));
      },
      PUT: async (r) => {
        const { input, problems } = parseExpenseBody(r.body());
        return json(200, expenseWriteJson(await deps.updateExpense.execute(r.userId, r.id, input, problems)));
      },
      DELETE: async (r) => {
        await deps.deleteExpense.execute(r.userId, r.id);
        return { statusCode: 204, headers: {} };
      },
    } },
    { pattern: /^\/api\/summary$/, methods: {
      GET: async (r) => json(200, summaryJson(await deps.getMonthSummary.execute(r.userId, parseMonth(r.query)))),
    } },
    { pattern: /^\/api\/trends$/, methods: {
      GET: async (r) => json(200, trendsJson(await deps.getTrends.execute(r.userId, parseOptionalMonth(r.query, 'to')))),
    } },
    { pattern: /^\/api\/budget$/, methods: {
      GET: async (r) => json(200, budgetJson(await deps.getBudget.execute(r.userId))),
      PUT: async (r) => {
        const { budget, problems } = parseBudgetBody(r.body());
        return json(200, budgetJson(await deps.setBudget.execute(r.userId, budget, problems)));
      },
    } },
    { pattern: /^\/api\/budget\/alert-email\/confirmation$/, methods: {
      POST: async (r) => json(202, await deps.resendAlertEmailConfirmation.execute(r.userId)),
    } },
    { pattern: /^\/api\/categories$/, methods: {
      GET: async (r) => json(200, { items: (await deps.listCategories.execute(r.userId)).map(categoryJson) }),
      POST: async (r) => json(201, categoryJson(await deps.createCategory.execute(r.userId, parseNewCategoryBody(r.body())))),
    } },
    { pattern: /^\/api\/categories\/([^/]+)$/, idOf: categoryId, methods: {
      PATCH: async (r) => json(200, categoryJson(await deps.updateCategory.execute(r.userId, r.id, parseCategoryPatch(r.body())))),
      DELETE: async (r) => {
        const { moved, remaining } = await deps.deleteCategory.execute(r.userId, r.id, parseMoveTo(r.query));
        return remaining === undefined ? json(200, { moved }) : json(202, { moved, remaining });
      },
    } },
    { pattern: /^\/api\/categories\/([^/]+)\/usage$/, idOf: categoryId, methods: {
      GET: async (r) => json(200, await deps.getCategoryUsage.execute(r.userId, r.id)),
    } },
    { pattern: /^\/api\/export$/, methods: {
      GET: async (r) => {
        const query = parseExportQuery(r.query);
        const page = await deps.exportExpenses.execute(r.userId, query, query.cursor);
        // The next page's address, relative to this one's (any stage prefix stays).
        const next = page.nextCursor === null ? undefined : `?${new URLSearchParams({ from: query.from, to: query.to, cursor: page.nextCursor })}`;
        return csv(exportCsv(page, query.cursor === undefined), `expenses-${query.from}-${query.to}.csv`, next);
      },
    } },
    { pattern: /^\/api\/recurring$/, methods: {
      GET: async (r) => json(200, { items: (await deps.listRecurrences.execute(r.userId)).map(recurrenceJson) }),
      POST: async (r) => {
        const { input, problems } = parseRecurrenceBody(r.body());
        return json(201, recurrenceJson(await deps.createRecurrence.execute(r.userId, input, problems)));
      },
    } },
    { pattern: /^\/api\/recurring\/([^/]+)$/, idOf: recurrenceId, methods: {
      GET: async (r) => json(200, recurrenceJson(await deps.getRecurrence.execute(r.userId, r.id))),
      PUT: async (r) => {
        const { input, problems } = parseRecurrenceBody(r.body());
        return json(200, recurrenceJson(await deps.updateRecurrence.execute(r.userId, r.id, input, problems)));
      },
      DELETE: async (r) => {
        await deps.deleteRecurrence.execute(r.userId, r.id);
        return { statusCode: 204, headers: {} };
      },
    } },
    { pattern: /^\/api\/recurring\/([^/]+)\/skip$/, idOf: recurrenceId, methods: {
      POST: async (r) => json(200, recurrenceJson(await deps.skipRecurrence.execute(r.userId, r.id))),
    } },
    { pattern: /^\/api\/alerts$/, methods: {
      GET: async (r) => {
        const { alerts, currency } = await deps.listAlerts.execute(r.userId, parseMonth(r.query));
        return json(200, { items: alerts.map((a) => alertJson(a, currency)) });
      },
    } },
  ];
}

/**
 * Ids this API issues are UUIDs, and any it issues later will match this too. Another id names no
 * expense, and one too long for a DynamoDB key would fail in storage, so none reaches a use case.
 */
const EXPENSE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** These characters are never percent-encoded, so the path segment is the id as is. */
function expenseId(segment: string): string {
  if (!EXPENSE_ID.test(segment)) throw new HttpError(404, 'NOT_FOUND', 'No such expense');
  return segment;
}

/** Recurring expense ids are UUIDs. */
const recurrenceId = uuidSegment('recurring expense');

function categoryId(segment: string): string {
  if (!CATEGORY_ID.test(segment)) throw new HttpError(404, 'NOT_FOUND', 'No such category');
  return segment;
}

function idempotencyKey(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return key;
}

function unsubscribeToken(query: Record<string, string | undefined>): string {
  const token = query.token;
  if (!token || token.length > 1000) throw new HttpError(400, 'INVALID_UNSUBSCRIBE_LINK', 'The link has no valid token: open the page and turn the monthly report off there');
  return token;
}
