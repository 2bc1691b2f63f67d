import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CATEGORY_ID } from '../../domain/category.js';
import type { Logger } from '../../application/ports.js';
import type { AddExpense } from '../../application/use-cases/add-expense.js';
import type { CreateCategory } from '../../application/use-cases/create-category.js';
import type { DeleteCategory } from '../../application/use-cases/delete-category.js';
import type { DeleteExpense } from '../../application/use-cases/delete-expense.js';
import type { ExportExpenses } from '../../application/use-cases/export-expenses.js';
import type { GetBudget } from '../../application/use-cases/get-budget.js';
import type { GetCategoryUsage } from '../../application/use-cases/get-category-usage.js';
import type { GetExpense } from '../../application/use-cases/get-expense.js';
import type { GetMonthSummary } from '../../application/use-cases/get-month-summary.js';
import type { ResendAlertEmailConfirmation } from '../../application/use-cases/resend-alert-email-confirmation.js';
import type { ListAlerts } from '../../application/use-cases/list-alerts.js';
import type { ListCategories } from '../../application/use-cases/list-categories.js';
import type { ListExpenses } from '../../application/use-cases/list-expenses.js';
import type { SetBudget } from '../../application/use-cases/set-budget.js';
import type { UpdateCategory } from '../../application/use-cases/update-category.js';
import type { UpdateExpense } from '../../application/use-cases/update-expense.js';
import type { CommitImport } from '../../application/use-cases/commit-import.js';
import type { GetImport, ListImports } from '../../application/use-cases/list-imports.js';
import type { PreviewImport } from '../../application/use-cases/preview-import.js';
import type { StartImport } from '../../application/use-cases/start-import.js';
import type { UndoImport } from '../../application/use-cases/undo-import.js';
import { parseCsvFile } from '../csv/csv-import.js';
import { parseCommitBody, parseImportSettings, parsePreviewQuery, parseUploadQuery } from './import-bodies.js';
import { importDraftJson, importJson, importPreviewJson } from './import-responses.js';
import { exportCsv } from '../csv/csv-export.js';
import {
  parseBudgetBody, parseCategoryPatch, parseExpenseBody, parseExportQuery, parseListQuery, parseMonth, parseMoveTo, parseNewCategoryBody,
} from './request-bodies.js';
import { alertJson, budgetJson, categoryJson, csv, errorResponse, expenseJson, expenseWriteJson, HttpError, json, summaryJson, type HttpResponse } from './responses.js';

export interface ApiDependencies {
  addExpense: AddExpense;
  updateExpense: UpdateExpense;
  deleteExpense: DeleteExpense;
  getExpense: GetExpense;
  listExpenses: ListExpenses;
  getMonthSummary: GetMonthSummary;
  getBudget: GetBudget;
  setBudget: SetBudget;
  resendAlertEmailConfirmation: ResendAlertEmailConfirmation;
  listAlerts: ListAlerts;
  listCategories: ListCategories;
  createCategory: CreateCategory;
  updateCategory: UpdateCategory;
  deleteCategory: DeleteCategory;
  getCategoryUsage: GetCategoryUsage;
  exportExpenses: ExportExpenses;
  startImport: StartImport;
  previewImport: PreviewImport;
  commitImport: CommitImport;
  undoImport: UndoImport;
  listImports: ListImports;
  getImport: GetImport;
  logger: Logger;
  /** Origins allowed to call the API from a browser (CORS). */
  allowedOrigins: string[];
}

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResponse>;

interface Request {
  userId: string;
  id: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The JSON body; import settings may be larger than other bodies. */
  body: (maxBytes?: number) => unknown;
  /** The body as an uploaded CSV file's text. */
  file: () => string;
}

type Action = (request: Request) => Promise<HttpResponse>;

export const MAX_BODY_BYTES = 16 * 1024;
/** Import settings name every category of the file and may list thousands of lines. */
const MAX_IMPORT_SETTINGS_BYTES = 1024 * 1024;
/**
 * An uploaded file: 5 MiB, about 50,000 rows. Sent as text/csv it reaches the Lambda as text, within
 * its 6 MB request limit (base64, as other media types arrive, would not fit).
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * The API as one Lambda handler for API Gateway HTTP API events (payload 2.0); the local server
 * feeds it the same events. Each route translates the request, calls one use case and maps the
 * result; every error becomes a response in errorResponse.
 */
export function createApiHandler(deps: ApiDependencies): ApiHandler {
  const routes: { pattern: RegExp; methods: Record<string, Action>; public?: boolean; idOf?: (segment: string) => string }[] = [
    { pattern: /^\/api\/health$/, public: true, methods: { GET: async () => json(200, { status: 'ok' }) } },
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
    { pattern: /^\/api\/imports$/, methods: {
      GET: async (r) => json(200, { items: (await deps.listImports.execute(r.userId)).map(importJson) }),
      POST: async (r) => {
        const { fileName, delimiter } = parseUploadQuery(r.query);
        const parsed = parseCsvFile(r.file(), delimiter);
        return json(201, importDraftJson(await deps.startImport.execute(r.userId, { fileName, ...parsed })));
      },
    } },
    { pattern: /^\/api\/imports\/([^/]+)$/, idOf: importId, methods: {
      GET: async (r) => json(200, importJson(await deps.getImport.execute(r.userId, r.id))),
      DELETE: async (r) => {
        const { removed, remaining } = await deps.undoImport.execute(r.userId, r.id);
        return remaining === undefined ? json(200, { removed }) : json(202, { removed, remaining });
      },
    } },
    { pattern: /^\/api\/imports\/([^/]+)\/preview$/, idOf: importId, methods: {
      POST: async (r) => {
        const settings = parseImportSettings(r.body(MAX_IMPORT_SETTINGS_BYTES));
        return json(200, importPreviewJson(await deps.previewImport.execute(r.userId, r.id, settings, parsePreviewQuery(r.query))));
      },
    } },
    { pattern: /^\/api\/imports\/([^/]+)\/commit$/, idOf: importId, methods: {
      POST: async (r) => {
        const { settings, choices } = parseCommitBody(r.body(MAX_IMPORT_SETTINGS_BYTES));
        const outcome = await deps.commitImport.execute(r.userId, r.id, settings, choices);
        return json(outcome.status === 'committed' ? 200 : 202, outcome);
      },
    } },
    { pattern: /^\/api\/alerts$/, methods: {
      GET: async (r) => {
        const { alerts, currency } = await deps.listAlerts.execute(r.userId, parseMonth(r.query));
        return json(200, { items: alerts.map((a) => alertJson(a, currency)) });
      },
    } },
  ];
  const allowedOrigins = new Set(deps.allowedOrigins);

  return async (event) => {
    const headers = event.headers ?? {};
    const cors = corsHeaders(headers.origin, allowedOrigins);
    let response: HttpResponse;
    try {
      const method = event.requestContext.http.method.toUpperCase();
      const path = routePath(event);
      const route = routes.find((r) => r.pattern.test(path));
      if (!route) throw new HttpError(404, 'ROUTE_NOT_FOUND', `No route for ${path}`);
      const allow = Object.keys(route.methods).join(', ');
      if (method === 'OPTIONS') {
        response = { statusCode: 204, headers: { allow, ...preflightHeaders(allow) } };
      } else {
        const action = route.methods[method];
        if (!action) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allow}`, { allow });
        const userId = route.public ? '' : userIdOf(event);
        const rawId = route.pattern.exec(path)![1];
        const id = rawId === undefined || !route.idOf ? '' : route.idOf(rawId);
        // Framing is checked (413, 415, 400) when a route reads its body: a route without one ignores it.
        const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
        const body = (maxBytes = MAX_BODY_BYTES) => (hasBody ? readBody(event, maxBytes) : undefined);
        response = await action({ userId, id, query: event.queryStringParameters ?? {}, headers, body, file: () => readCsvUpload(event) });
      }
    } catch (error) {
      response = errorResponse(error, deps.logger);
    }
    response.headers = { ...response.headers, ...cors };
    return response;
  };
}

/**
 * The path the routes match. Through the execute-api endpoint a named stage prefixes rawPath with
 * its name ("/prod/api/..."); the $default stage, or a custom domain mapped to a stage, adds nothing.
 */
function routePath(event: APIGatewayProxyEventV2): string {
  const { stage } = event.requestContext;
  const stagePrefix = stage === '$default' ? '' : `/${stage}`;
  const path = stagePrefix && event.rawPath.startsWith(`${stagePrefix}/`) ? event.rawPath.slice(stagePrefix.length) : event.rawPath;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
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

function importId(segment: string): string {
  if (!/^[0-9a-f-]{36}$/.test(segment)) throw new HttpError(404, 'NOT_FOUND', 'No such import');
  return segment;
}

function categoryId(segment: string): string {
  if (!CATEGORY_ID.test(segment)) throw new HttpError(404, 'NOT_FOUND', 'No such category');
  return segment;
}

/** The user is the JWT authorizer's `sub` claim; API Gateway has verified the token. */
function userIdOf(event: APIGatewayProxyEventV2): string {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) {
    throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to use this API');
  }
  return sub;
}

function bodyBytes(event: APIGatewayProxyEventV2, maxBytes: number): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`);
  return bytes;
}

function mediaType(event: APIGatewayProxyEventV2): string {
  return (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * An uploaded CSV file: at most MAX_UPLOAD_BYTES (413), sent as text/csv (415), in UTF-8 with or
 * without a byte order mark (415 otherwise: the page converts Windows-1252 files before sending).
 */
function readCsvUpload(event: APIGatewayProxyEventV2): string {
  const bytes = bodyBytes(event, MAX_UPLOAD_BYTES);
  if (mediaType(event) !== 'text/csv') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload the file as the request body with Content-Type: text/csv');
  }
  const charset = /charset=([^;]+)/i.exec(event.headers?.['content-type'] ?? '')?.[1]?.trim().toLowerCase();
  let text: string;
  try {
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new Error(charset);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\ufffd';
  }
  // A body API Gateway passed as text had its invalid bytes replaced by U+FFFD already.
  if (text.includes('\ufffd')) {
    throw new HttpError(415, 'UNSUPPORTED_ENCODING', 'The file must be UTF-8 (with or without a byte order mark): save it as "CSV UTF-8"; the page converts Windows-1252 files itself');
  }
  if (text.trim() === '') throw new HttpError(400, 'VALIDATION_FAILED', 'The file is empty');
  return text;
}

/** Checks framing before parsing: size (413), media type (415), then JSON (400). */
function readBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const bytes = bodyBytes(event, maxBytes);
  const contentType = mediaType(event);
  if (contentType !== 'application/json') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON with Content-Type: application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
  return parsed;
}

function idempotencyKey(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return key;
}

function corsHeaders(origin: string | undefined, allowed: Set<string>): Record<string, string> {
  if (!origin || !allowed.has(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-expose-headers': 'retry-after, link, content-disposition' };
}

function preflightHeaders(allow: string): Record<string, string> {
  return {
    'access-control-allow-methods': `${allow}, OPTIONS`,
    'access-control-allow-headers': 'authorization, content-type, idempotency-key',
    'access-control-max-age': '600',
  };
}
