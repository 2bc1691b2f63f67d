import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { expect } from 'chai';
import sinon from 'sinon';
import { createApiHandler, MAX_BODY_BYTES, type ApiDependencies, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import type { HttpResponse } from '../../src/adapters/http/responses.js';
import { DependencyUnavailableError, TOKENS } from '../../src/application/ports.js';
import { signUnsubscribeToken } from '../../src/application/report-link.js';
import { apiDependencies } from '../../src/composition-root.js';
import { apiEvent as sharedApiEvent } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES } from '../support/fixtures.js';
import {
  documentedOperations, documentedResponseKeys, exercisedResponseKeys, expectMatchesOpenApi, openApi, requestProblems,
} from '../support/openapi.js';

/**
 * Drives the real API handler (real composition root, in-memory adapters) through every operation
 * and every status code docs/openapi.json documents, and checks each response against the
 * document. The last suite fails if any documented response was never produced, so the document
 * cannot drift from the routes. Run alone with `npx mocha -g "OpenAPI"`.
 */

const USER = 'user-alex';
const OTHER_USER = 'user-sam';
const ORIGIN = 'https://app.example';

interface Send {
  /** Values for `{name}` segments of the path template. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON with Content-Type: application/json (unless `headers` says otherwise). */
  json?: unknown;
  /** Sent as is, instead of `json`. */
  raw?: string;
  base64?: boolean;
  /** The JWT `sub`; null sends no authorizer claims at all. */
  user?: string | null;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON; its shape is what expectMatchesOpenApi already checked. */
  body: any;
  response: HttpResponse;
}

/** The shared event builder, sending from the site's origin, with `user` as the default identity. */
function apiEvent(method: string, path: string, options: Send = {}): APIGatewayProxyEventV2 {
  return sharedApiEvent(method, path, {
    user: options.user === undefined ? USER : options.user,
    headers: { origin: ORIGIN, ...lowerCaseKeys(options.headers ?? {}) },
    ...(options.query ? { query: options.query } : {}),
    ...(options.raw !== undefined ? { body: options.raw } : options.json !== undefined ? { body: options.json } : {}),
    ...(options.base64 ? { base64: true } : {}),
  });
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** Sends one request and checks the answer against the document (and that a 2xx request is one the document accepts). */
async function send(handler: ApiHandler, method: string, template: string, options: Send = {}): Promise<Answer> {
  const event = apiEvent(method, fillTemplate(template, options.params ?? {}), options);
  const response = await handler(event);
  expectMatchesOpenApi(method, template, response);
  if (response.statusCode >= 200 && response.statusCode < 300 && openApi.paths[template]) {
    const problems = requestProblems(method, template, {
      query: options.query ?? {},
      headers: event.headers,
      body: options.json ?? (options.raw === undefined ? undefined : /csv|x-www-form-urlencoded/.test(event.headers['content-type'] ?? '') ? options.raw : JSON.parse(options.raw)),
    });
    expect(problems, `${method} ${template} was accepted (${response.statusCode}) but the document rejects the request`).to.deep.equal([]);
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    // JSON is parsed; a CSV body stays text (expectMatchesOpenApi checked it parses).
    body: response.body && /json/.test(response.headers['content-type'] ?? '') ? JSON.parse(response.body) : response.body,
    response,
  };
}

const BUDGET = {
  currency: 'EUR',
  monthlyLimit: 1000,
  categoryLimits: { Food: 300, Travel: 500 },
  thresholds: [100, 50, 80],
  alertEmail: 'alex@example.com',
  timeZone: 'Europe/Paris',
  rollover: { monthlyLimit: false, categoryLimits: { Food: true } },
  forecastThresholds: [],
  monthlyReport: true,
};

/** November 2026, in the order they are recorded; the clock moves a minute per expense. */
const NOVEMBER = [
  { amount: 120.5, category: 'Food', date: '2026-11-02', description: 'Groceries' },
  { amount: 260, category: 'Travel', date: '2026-11-05', description: 'Train to Lyon' },
  { amount: 64.99, category: 'Food', date: '2026-11-09', description: '  Farmers market  ' },
  { amount: 450, category: 'Housing', date: '2026-11-01', description: 'Rent share' },
  { amount: 80, category: 'Food', date: '2026-11-14' },
  { amount: 35.5, category: 'Entertainment', date: '2026-11-12', description: 'Concert' },
];

interface World {
  app: TestApp;
  deps: ApiDependencies;
  handler: ApiHandler;
}

function world(): World {
  const app = testApp();
  const deps = apiDependencies(app.container, [ORIGIN]);
  return { app, deps, handler: createApiHandler(deps) };
}

function tick(app: TestApp, minutes = 1): void {
  app.clock.current = new Date(app.clock.current.getTime() + minutes * 60_000);
}

/** The budget above and the November expenses: alerts in total, Food and Travel. */
interface AlertJson { scope: string; threshold: number; delivery: string; createdAt: string }
const alertKeys = (alerts: AlertJson[]) => alerts.map((a) => `${a.scope}@${a.threshold}`);

async function seed({ app, handler }: World): Promise<{ ids: string[]; alerts: AlertJson[][] }> {
  await send(handler, 'PUT', '/api/budget', { json: BUDGET });
  const ids: string[] = [];
  const alerts: AlertJson[][] = [];
  for (const expense of NOVEMBER) {
    tick(app);
    const answer = await send(handler, 'POST', '/api/expenses', { json: expense });
    expect(answer.status).to.equal(201);
    ids.push(answer.body.expense.id);
    alerts.push(answer.body.alerts);
  }
  return { ids, alerts };
}

const IMPORT_CSV = 'date,description,amount\n2026-11-03,Bakery,4.20\n2026-11-04,Bus,2.90\n';
const IMPORT_SETTINGS = {
  header: true, columns: { date: 'date', amount: 'amount', description: 'description' }, dateFormat: 'YYYY-MM-DD', decimalSeparator: '.',
  spendingSign: 'positive', spendingTypes: [], categories: [], defaultCategory: 'Other',
};
const SOME_IMPORT = '7d9c1f1e-8a1b-4c8e-9a55-0f6b3c1d2e4f';
const SOME_RECURRENCE = '0b6f3c1d-2e4f-4c8e-9a55-7d9c1f1e8a1b';
const RENT = { amount: 950, category: 'Housing', description: 'Rent', schedule: { frequency: 'monthly', startDate: '2026-10-01', dayOfMonth: 1, weekend: 'after' } };

/** A valid request for each operation, for the tests that only care about the failure path. */
function validRequest(operationId: string, expenseId = 'some-id'): Send {
  switch (operationId) {
    case 'addExpense': return { json: NOVEMBER[0] };
    case 'replaceExpense': return { params: { id: expenseId }, json: NOVEMBER[1] };
    case 'getExpense':
    case 'deleteExpense': return { params: { id: expenseId } };
    case 'listExpenses': return { query: { month: '2026-11' } };
    case 'getMonthSummary':
    case 'listAlerts': return { query: { month: '2026-11' } };
    case 'getTrends': return { query: { to: '2026-11' } };
    case 'setBudget': return { json: BUDGET };
    case 'createCategory': return { json: { name: 'Pets' } };
    case 'updateCategory': return { params: { id: 'Food' }, json: { name: 'Groceries' } };
    case 'deleteCategory':
    case 'getCategoryUsage': return { params: { id: 'Education' } };
    case 'exportExpenses': return { query: { from: '2026-11', to: '2026-11' } };
    case 'createRecurrence': return { json: RENT };
    case 'updateRecurrence': return { params: { id: SOME_RECURRENCE }, json: RENT };
    case 'getRecurrence':
    case 'deleteRecurrence':
    case 'skipRecurrence': return { params: { id: SOME_RECURRENCE } };
    case 'startImport': return { raw: IMPORT_CSV, headers: { 'content-type': 'text/csv' } };
    case 'getImport':
    case 'undoImport': return { params: { id: SOME_IMPORT } };
    case 'previewImport':
    case 'commitImport': return { params: { id: SOME_IMPORT }, json: IMPORT_SETTINGS };
    case 'unsubscribeReport': return { query: { token: 'payload.signature' } };
    default: return {};
  }
}

/** Which use case each operation calls (health and the unsubscribe page call none). */
const USE_CASE: Record<string, keyof ApiDependencies> = {
  unsubscribeReport: 'unsubscribeMonthlyReport',
  addExpense: 'addExpense',
  listExpenses: 'listExpenses',
  getExpense: 'getExpense',
  replaceExpense: 'updateExpense',
  deleteExpense: 'deleteExpense',
  getMonthSummary: 'getMonthSummary',
  getTrends: 'getTrends',
  getBudget: 'getBudget',
  setBudget: 'setBudget',
  resendAlertEmailConfirmation: 'resendAlertEmailConfirmation',
  listAlerts: 'listAlerts',
  listCategories: 'listCategories',
  createCategory: 'createCategory',
  updateCategory: 'updateCategory',
  deleteCategory: 'deleteCategory',
  getCategoryUsage: 'getCategoryUsage',
  exportExpenses: 'exportExpenses',
  listRecurrences: 'listRecurrences',
  createRecurrence: 'createRecurrence',
  getRecurrence: 'getRecurrence',
  updateRecurrence: 'updateRecurrence',
  deleteRecurrence: 'deleteRecurrence',
  skipRecurrence: 'skipRecurrence',
  listImports: 'listImports',
  startImport: 'startImport',
  getImport: 'getImport',
  undoImport: 'undoImport',
  previewImport: 'previewImport',
  commitImport: 'commitImport',
};

const byDateDescending = (items: { date: string }[]) => items.every((e, i) => i === 0 || items[i - 1]!.date >= e.date);

describe('OpenAPI conformance: docs/openapi.json against the real API handler', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });
  afterEach(() => {
    sinon.restore();
  });

  describe('the document', () => {
    it('is OpenAPI 3.1.0 with servers, a bearer JWT scheme and the shared components', () => {
      expect(openApi.openapi).to.equal('3.1.0');
      const doc = openApi as unknown as {
        info: { title: string; version: string };
        servers: { url: string }[];
        components: { schemas: object; parameters: object; responses: object; securitySchemes: Record<string, Record<string, string>> };
      };
      expect(doc.info.title).to.be.a('string').and.not.empty;
      expect(doc.servers.map((s) => s.url)).to.include('http://127.0.0.1:3000');
      expect(doc.servers.some((s) => s.url.includes('execute-api'))).to.equal(true);
      expect(doc.components.schemas).to.include.keys(
        'Expense', 'ExpenseInput', 'Alert', 'Budget', 'Summary', 'BudgetUse', 'Error', 'Category', 'Month',
      );
      expect(doc.components.parameters).to.not.be.empty;
      expect(doc.components.responses).to.not.be.empty;
      const bearer = Object.entries(doc.components.securitySchemes)
        .filter(([, scheme]) => scheme.type === 'http' && scheme.scheme === 'bearer' && scheme.bearerFormat === 'JWT')
        .map(([name]) => name);
      expect(bearer).to.have.length(1);
      expect(openApi.security).to.deep.equal([{ [bearer[0]!]: [] }]);
    });

    it('gives every error response of every operation a body built on the Error schema', () => {
      const errorRef = '#/components/schemas/Error';
      const resolveRef = (ref: string) => ref.slice(2).split('/').reduce<any>((node, key) => node[key.replace(/~1/g, '/')], openApi);
      const usesError = (schema: { $ref?: string; allOf?: { $ref?: string }[] }): boolean =>
        schema.$ref === errorRef || (schema.allOf ?? []).some((s) => s.$ref === errorRef) || (schema.$ref !== undefined && usesError(resolveRef(schema.$ref)));
      for (const op of documentedOperations()) {
        const errors = op.statuses.filter((s) => Number(s) >= 400);
        if (op.secured) expect(errors, `${op.method} ${op.path}`).to.include.members(['401', '500', '503']);
        for (const status of errors) {
          let response = (openApi.paths[op.path] as any)[op.method.toLowerCase()].responses[status];
          while (response.$ref) response = resolveRef(response.$ref);
          const schema = response.content?.['application/json']?.schema;
          expect(schema, `${op.method} ${op.path} ${status} has no JSON body`).to.be.an('object');
          expect(usesError(schema), `${op.method} ${op.path} ${status} is not an Error body`).to.equal(true);
        }
      }
    });

    it('has exactly the routes API Gateway deploys, and requires the JWT on all but health and the unsubscribe link', async function () {
      this.timeout(60_000);
      const { API_ROUTES } = await import('../../infra/api.js');
      const documented = documentedOperations();
      expect(documented.map((op) => `${op.method} ${op.path}`).sort()).to.deep.equal(API_ROUTES.map((r) => r.routeKey).sort());
      for (const route of API_ROUTES) {
        const op = documented.find((o) => `${o.method} ${o.path}` === route.routeKey)!;
        expect(op.secured, route.routeKey).to.equal(!route.public);
      }
    });
  });

  describe('the checker (expectMatchesOpenApi) itself', () => {
    const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };
    const expense = { id: 'e1', amount: 12.5, category: 'Food', date: '2026-11-02', createdAt: '2026-11-15T10:00:00.000Z', updatedAt: '2026-11-15T10:00:00.000Z' };
    const ok = (body: unknown) => ({ statusCode: 200, headers: jsonHeaders, body: JSON.stringify(body) });

    // Only failing checks here: a passing check would count as coverage without the handler producing it.
    it('fails for an undocumented status code, operation or path', () => {
      expect(() => expectMatchesOpenApi('GET', '/api/budget', { statusCode: 404, headers: jsonHeaders, body: '{"error":{"code":"NOT_FOUND","message":"x"}}' }))
        .to.throw(/status 404 is not documented/);
      expect(() => expectMatchesOpenApi('PATCH', '/api/budget', ok({}))).to.throw(/status 200 is not documented/);
      expect(() => expectMatchesOpenApi('GET', '/api/budgets', ok({}))).to.throw(/status 200 is not documented/);
      expect(() => expectMatchesOpenApi('GET', '/api/expenses/e1', ok(expense))).to.throw(/pass the path template \/api\/expenses\/\{id\}/);
    });

    it('fails for a body that breaks the schema: extra or missing fields, wrong types, bad formats', () => {
      for (const body of [
        { ...expense, note: 'extra' },
        { ...expense, id: undefined },
        { ...expense, amount: '12.50' },
        { ...expense, category: 'Pets & Co' },
        { ...expense, date: '2026-02-30' },
        { ...expense, createdAt: '2026-11-15 10:00' },
        { ...expense, description: '' },
      ]) {
        expect(() => expectMatchesOpenApi('GET', '/api/expenses/{id}', ok(body)), JSON.stringify(body)).to.throw(/does not match the documented schema/);
      }
      const budget = {
        currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: 'not an email', timeZone: 'UTC',
        rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false,
      };
      expect(() => expectMatchesOpenApi('GET', '/api/budget', ok(budget))).to.throw(/alertEmail/);
      expect(() => expectMatchesOpenApi('GET', '/api/budget', ok({ ...budget, alertEmail: null }))).to.not.throw();
      expect(() => expectMatchesOpenApi('GET', '/api/budget', ok({ ...budget, alertEmail: null, categoryLimits: { 'Pets & Co': 5 } }))).to.throw(/property name must be valid|propertyNames|must match pattern/);
      const internal = { statusCode: 500, headers: jsonHeaders, body: '{"error":{"code":"INTERNAL","message":"TypeError: x is undefined"}}' };
      expect(() => expectMatchesOpenApi('GET', '/api/budget', internal)).to.throw(/message/);
    });

    it('fails for a 204 with a body, a missing required header, a wrong Allow, a non-JSON media type', () => {
      expect(() => expectMatchesOpenApi('DELETE', '/api/expenses/{id}', { statusCode: 204, headers: {}, body: '{}' })).to.throw(/without a body/);
      const busy = '{"error":{"code":"SERVICE_UNAVAILABLE","message":"busy"}}';
      expect(() => expectMatchesOpenApi('GET', '/api/budget', { statusCode: 503, headers: jsonHeaders, body: busy })).to.throw(/Retry-After is missing/);
      expect(() => expectMatchesOpenApi('GET', '/api/budget', { statusCode: 503, headers: { ...jsonHeaders, 'retry-after': 'soon' }, body: busy })).to.throw(/Retry-After/);
      const notAllowed = '{"error":{"code":"METHOD_NOT_ALLOWED","message":"no"}}';
      expect(() => expectMatchesOpenApi('PATCH', '/api/budget', { statusCode: 405, headers: { ...jsonHeaders, allow: 'GET' }, body: notAllowed })).to.throw(/Allow/);
      expect(() => expectMatchesOpenApi('GET', '/api/expenses/{id}', { statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<p>' })).to.throw(/text\/html is not documented/);
    });
  });

  describe('the alert address', () => {
    it('PUT /api/budget answers 409 for an address another account uses, 429 with Retry-After past the daily limit', async () => {
      expect((await send(w.handler, 'PUT', '/api/budget', { json: { ...BUDGET, alertEmail: 'family@example.com' }, user: OTHER_USER })).status).to.equal(200);
      const taken = await send(w.handler, 'PUT', '/api/budget', { json: { ...BUDGET, alertEmail: 'family@example.com' } });
      expect(taken.status).to.equal(409);
      for (let i = 0; i < 5; i++) expect((await send(w.handler, 'PUT', '/api/budget', { json: { ...BUDGET, alertEmail: `me${i}@example.com` } })).status).to.equal(200);
      const limited = await send(w.handler, 'PUT', '/api/budget', { json: { ...BUDGET, alertEmail: 'me5@example.com' } });
      expect(limited.status).to.equal(429);
    });

    it('PUT /api/budget answers 409 CURRENCY_IN_USE for a new currency once an expense exists', async () => {
      expect((await send(w.handler, 'POST', '/api/expenses', { json: NOVEMBER[0] })).status).to.equal(201);
      const refused = await send(w.handler, 'PUT', '/api/budget', { json: { ...BUDGET, currency: 'CHF' } });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.code).to.equal('CURRENCY_IN_USE');
      expect(Object.keys(refused.body.error.fields)).to.deep.equal(['currency']);
      expect((await send(w.handler, 'GET', '/api/budget')).body.currency).to.equal('USD');
    });

    it('POST /api/budget/alert-email/confirmation answers 202, 400 without an address, 429 past the daily limit', async () => {
      expect((await send(w.handler, 'POST', '/api/budget/alert-email/confirmation')).status).to.equal(400);
      expect((await send(w.handler, 'PUT', '/api/budget', { json: { ...BUDGET, alertEmail: 'me@example.com' } })).status).to.equal(200);
      for (let i = 1; i < 5; i++) expect((await send(w.handler, 'POST', '/api/budget/alert-email/confirmation')).status).to.equal(202);
      expect((await send(w.handler, 'POST', '/api/budget/alert-email/confirmation')).status).to.equal(429);
    });
  });

  describe('the per-user write rate', () => {
    it('expense and category writes answer 429 with Retry-After once the bucket is empty, and save nothing', async () => {
      const app = testApp({ writeRateLimit: { burst: 2, refillPerSecond: 1 } });
      const handler = createApiHandler(apiDependencies(app.container, [ORIGIN]));
      const created = await send(handler, 'POST', '/api/expenses', { json: NOVEMBER[0] });
      expect(created.status).to.equal(201);
      expect((await send(handler, 'POST', '/api/expenses', { json: NOVEMBER[1] })).status).to.equal(201);
      const params = { id: created.body.expense.id };
      for (const limited of [
        await send(handler, 'POST', '/api/expenses', { json: NOVEMBER[2] }),
        await send(handler, 'PUT', '/api/expenses/{id}', { params, json: NOVEMBER[3] }),
        await send(handler, 'DELETE', '/api/expenses/{id}', { params }),
        await send(handler, 'POST', '/api/categories', { json: { name: 'Pets' } }),
        await send(handler, 'PATCH', '/api/categories/{id}', { params: { id: 'Food' }, json: { name: 'Groceries' } }),
        await send(handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Education' } }),
      ]) {
        expect(limited.status).to.equal(429);
        expect(limited.headers['retry-after']).to.equal('1');
      }
      expect((await send(handler, 'GET', '/api/summary', { query: { month: '2026-11' } })).body.total).to.equal(380.5);
      expect((await send(handler, 'GET', '/api/categories')).body.items.map((c: { name: string }) => c.name)).to.include('Food').and.not.include('Pets');
    });
  });

  describe('success responses', () => {
    it('GET /api/health answers 200 {"status":"ok"} without identity', async () => {
      const answer = await send(w.handler, 'GET', '/api/health', { user: null });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.equal({ status: 'ok' });
    });

    it('GET /api/budget answers the defaults before any PUT, then PUT /api/budget stores a full budget (thresholds sorted)', async () => {
      const before = await send(w.handler, 'GET', '/api/budget');
      expect(before.body).to.deep.equal({ currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC', rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false });

      const put = await send(w.handler, 'PUT', '/api/budget', { json: BUDGET });
      expect(put.status).to.equal(200);
      expect(put.body).to.deep.equal({ ...BUDGET, thresholds: [50, 80, 100] });
      expect((await send(w.handler, 'GET', '/api/budget')).body).to.deep.equal(put.body);

      // PUT replaces the whole budget: what is left out takes its default.
      const partial = await send(w.handler, 'PUT', '/api/budget', { json: { currency: 'GBP', monthlyLimit: 2500.75 } });
      expect(partial.body).to.deep.equal({ currency: 'GBP', monthlyLimit: 2500.75, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC', rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false });
    });

    it('POST /api/expenses answers 201 with the expense and the alerts it raised (sent, or pending when email is down)', async () => {
      const { alerts } = await seed(w);
      expect(alerts[0]).to.deep.equal([]);
      expect(alerts[1]).to.have.length(1); // Travel reaches 52% of 500
      expect(alerts[1]![0]).to.include({ scope: 'Travel', threshold: 50, spent: 260, limit: 500, delivery: 'sent', month: '2026-11' });
      expect(alerts.map(alertKeys)).to.deep.equal([[], ['Travel@50'], ['Food@50'], ['total@50', 'total@80'], ['Food@80'], ['total@100']]);

      w.app.notifier.failing = true;
      tick(w.app);
      const pending = await send(w.handler, 'POST', '/api/expenses', { json: { amount: 40, category: 'Food', date: '2026-11-15', description: 'Dinner' } });
      expect(pending.status).to.equal(201);
      expect(pending.body.expense).to.include({ amount: 40, category: 'Food', date: '2026-11-15', description: 'Dinner' });
      expect(pending.body.alerts.map((a: AlertJson) => `${a.scope}@${a.threshold}:${a.delivery}`)).to.deep.equal(['Food@100:pending']);
    });

    it('POST /api/expenses with an Idempotency-Key replays the first answer for the same body (201, no second expense)', async () => {
      const headers = { 'Idempotency-Key': 'add-7f3c2a' };
      const first = await send(w.handler, 'POST', '/api/expenses', { json: NOVEMBER[0], headers });
      tick(w.app);
      const replay = await send(w.handler, 'POST', '/api/expenses', { json: NOVEMBER[0], headers });
      expect(first.status).to.equal(201);
      expect(replay.status).to.equal(201);
      expect(replay.body).to.deep.equal(first.body);
      const list = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11' } });
      expect(list.body.items).to.have.length(1);
    });

    it('GET /api/expenses lists newest date first, pages with a nextCursor string, and filters by category', async () => {
      await seed(w);
      const first = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11', limit: '4' } });
      expect(first.status).to.equal(200);
      expect(first.body.items).to.have.length(4);
      expect(first.body.nextCursor).to.be.a('string').and.not.empty;
      const second = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11', limit: '4', cursor: first.body.nextCursor } });
      expect(second.body.items).to.have.length(2);
      expect(second.body.nextCursor).to.equal(null);
      const all = [...first.body.items, ...second.body.items];
      expect(byDateDescending(all), 'newest date first').to.equal(true);
      expect(all.map((e: { date: string }) => e.date)).to.deep.equal(['2026-11-14', '2026-11-12', '2026-11-09', '2026-11-05', '2026-11-02', '2026-11-01']);
      expect(all.find((e: { date: string }) => e.date === '2026-11-09').description).to.equal('Farmers market');

      const food = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11', category: 'Food' } });
      expect(food.body.items.map((e: { amount: number }) => e.amount)).to.deep.equal([80, 64.99, 120.5]);
      expect(food.body.nextCursor).to.equal(null);

      const empty = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-10' } });
      expect(empty.body).to.deep.equal({ items: [], nextCursor: null });
    });

    it('GET, PUT and DELETE /api/expenses/{id}: 200, 200 with alerts, 204 without a body', async () => {
      const { ids } = await seed(w);
      const id = ids[4]!;
      const got = await send(w.handler, 'GET', '/api/expenses/{id}', { params: { id } });
      expect(got.status).to.equal(200);
      expect(got.body).to.include({ id, amount: 80, category: 'Food', date: '2026-11-14' });
      expect(got.body).to.not.have.property('description');

      tick(w.app);
      const put = await send(w.handler, 'PUT', '/api/expenses/{id}', { params: { id }, json: { amount: 215.25, category: 'Travel', date: '2026-11-14', description: 'Flight' } });
      expect(put.status).to.equal(200);
      expect(put.body.expense).to.include({ id, amount: 215.25, category: 'Travel', description: 'Flight', createdAt: got.body.createdAt });
      expect(put.body.expense.updatedAt > got.body.updatedAt).to.equal(true);
      expect(alertKeys(put.body.alerts)).to.deep.equal(['Travel@80']); // Travel 475.25 of 500

      // Full replacement: without a description the expense has none.
      const bare = await send(w.handler, 'PUT', '/api/expenses/{id}', { params: { id }, json: { amount: 10, category: 'Other', date: '2026-10-31' } });
      expect(bare.body.expense).to.not.have.property('description');
      expect(bare.body.alerts).to.deep.equal([]);

      const deleted = await send(w.handler, 'DELETE', '/api/expenses/{id}', { params: { id } });
      expect(deleted.status).to.equal(204);
      expect(deleted.response.body ?? '').to.equal('');
    });

    it('GET /api/summary answers the month against the budget, and budget null without a monthly limit', async () => {
      await seed(w);
      const summary = await send(w.handler, 'GET', '/api/summary', { query: { month: '2026-11' } });
      expect(summary.status).to.equal(200);
      expect(summary.body).to.deep.equal({
        month: '2026-11',
        currency: 'EUR',
        total: 1010.99,
        count: 6,
        byCategory: { Food: 265.49, Travel: 260, Housing: 450, Entertainment: 35.5 },
        byDay: { '01': 450, '02': 120.5, '05': 260, '09': 64.99, 12: 35.5, 14: 80 },
        // The clock is on 15 November and the user has no earlier months: the forecast runs at November's own pace.
        budget: { limit: 1000, baseLimit: 1000, carry: 0, spent: 1010.99, remaining: -10.99, percentUsed: 101, forecast: 2021.98 },
        categories: {
          Food: { limit: 300, baseLimit: 300, carry: 0, spent: 265.49, remaining: 34.51, percentUsed: 88.4, forecast: 530.98 },
          Travel: { limit: 500, baseLimit: 500, carry: 0, spent: 260, remaining: 240, percentUsed: 52, forecast: 520 },
        },
        upcoming: { total: 0, items: [] },
      });

      const fresh = await send(w.handler, 'GET', '/api/summary', { query: { month: '2026-11' }, user: OTHER_USER });
      expect(fresh.body).to.deep.equal({ month: '2026-11', currency: 'USD', total: 0, count: 0, byCategory: {}, byDay: {}, budget: null, categories: {}, upcoming: { total: 0, items: [] } });
    });

    it('GET /api/alerts answers the month\'s alerts oldest first', async () => {
      await seed(w);
      const alerts = await send(w.handler, 'GET', '/api/alerts', { query: { month: '2026-11' } });
      expect(alerts.status).to.equal(200);
      const items = alerts.body.items as AlertJson[];
      expect(alertKeys(items)).to.deep.equal(['Travel@50', 'Food@50', 'total@50', 'total@80', 'Food@80', 'total@100']);
      expect(items.every((a, i) => i === 0 || items[i - 1]!.createdAt <= a.createdAt), 'oldest first').to.equal(true);
      expect(items.every((a) => a.delivery === 'sent')).to.equal(true);
      expect((await send(w.handler, 'GET', '/api/alerts', { query: { month: '2026-10' } })).body).to.deep.equal({ items: [] });
    });

    it('accepts a base64-encoded body and a Content-Type with parameters', async () => {
      const answer = await send(w.handler, 'POST', '/api/expenses', {
        json: { amount: 9.99, category: 'Shopping', date: '2026-11-03', description: 'Notebook – A5' },
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        base64: true,
      });
      expect(answer.status).to.equal(201);
      expect(answer.body.expense.description).to.equal('Notebook – A5');
    });
  });

  describe('400: invalid requests', () => {
    it('POST /api/expenses names every offending field, unknown fields included', async () => {
      const body = { amount: 12.345, category: 'Groceries', date: '2026-02-30', description: 'x'.repeat(201), tip: 2 };
      expect(requestProblems('POST', '/api/expenses', { body }), 'the document rejects it too').to.not.be.empty;
      const answer = await send(w.handler, 'POST', '/api/expenses', { json: body });
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal('VALIDATION_FAILED');
      expect(answer.body.error.fields).to.have.keys('amount', 'category', 'date', 'description', 'tip');
    });

    it('POST /api/expenses rejects malformed JSON and a malformed Idempotency-Key', async () => {
      const malformed = await send(w.handler, 'POST', '/api/expenses', { raw: '{"amount": 12,', headers: { 'content-type': 'application/json' } });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error).to.deep.include({ code: 'MALFORMED_JSON' }).and.not.have.property('fields');

      const badKey = { 'Idempotency-Key': 'has spaces' };
      expect(requestProblems('POST', '/api/expenses', { headers: badKey, body: NOVEMBER[0] }), 'the document rejects it too').to.not.be.empty;
      const key = await send(w.handler, 'POST', '/api/expenses', { json: NOVEMBER[0], headers: badKey });
      expect(key.status).to.equal(400);
      expect(key.body.error.code).to.equal('INVALID_IDEMPOTENCY_KEY');
    });

    it('PUT /api/expenses/{id} and PUT /api/budget reject invalid bodies with fields', async () => {
      const { ids } = await seed(w);
      const expenseBody = { amount: 0, category: 'Food', date: '2026-11-31' };
      expect(requestProblems('PUT', '/api/expenses/{id}', { body: expenseBody })).to.not.be.empty;
      const expense = await send(w.handler, 'PUT', '/api/expenses/{id}', { params: { id: ids[0]! }, json: expenseBody });
      expect(expense.status).to.equal(400);
      expect(expense.body.error.fields).to.have.keys('amount', 'date');

      const budgetBody = { currency: 'euro', monthlyLimit: -5, categoryLimits: { Pets: 10, Food: 0.001 }, thresholds: [80, 80, 0], alertEmail: 'not-an-email', rollover: true };
      expect(requestProblems('PUT', '/api/budget', { body: budgetBody })).to.not.be.empty;
      const budget = await send(w.handler, 'PUT', '/api/budget', { json: budgetBody });
      expect(budget.status).to.equal(400);
      expect(budget.body.error.fields).to.have.keys('currency', 'monthlyLimit', 'categoryLimits.Pets', 'categoryLimits.Food', 'thresholds', 'alertEmail', 'rollover');

      const notObject = await send(w.handler, 'PUT', '/api/budget', { json: [BUDGET] });
      expect(notObject.status).to.equal(400);
      expect(notObject.body.error.fields).to.have.keys('body');
      const malformed = await send(w.handler, 'PUT', '/api/expenses/{id}', { params: { id: ids[0]! }, raw: 'amount=12', headers: { 'content-type': 'application/json' } });
      expect(malformed.body.error.code).to.equal('MALFORMED_JSON');
    });

    it('GET /api/expenses, /api/summary and /api/alerts require a valid month; the listing checks limit, category and cursor', async () => {
      for (const path of ['/api/expenses', '/api/summary', '/api/alerts']) {
        for (const query of [{}, { month: '2026-13' }, { month: '1969-12' }, { month: '2026-1' }] as Record<string, string>[]) {
          expect(requestProblems('GET', path, { query }), `${path} ${JSON.stringify(query)}`).to.not.be.empty;
          const answer = await send(w.handler, 'GET', path, { query });
          expect(answer.status, `${path} ${JSON.stringify(query)}`).to.equal(400);
          expect(answer.body.error.fields).to.have.keys('month');
        }
      }
      const query = { month: '2026-11', limit: '101', category: 'Pets & Co', cursor: '' };
      expect(requestProblems('GET', '/api/expenses', { query })).to.have.length(3);
      const list = await send(w.handler, 'GET', '/api/expenses', { query });
      expect(list.body.error.fields).to.have.keys('limit', 'category', 'cursor');
      const zero = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11', limit: '0' } });
      expect(zero.body.error.fields).to.have.keys('limit');
      const foreign = await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11', cursor: 'bm90LWEtY3Vyc29y' } });
      expect(foreign.status).to.equal(400);
      expect(foreign.body.error.fields).to.have.keys('cursor');
    });

    it('the handler and the document agree on the boundaries of amounts, dates, limits and descriptions', async () => {
      const accepted = [
        { amount: 0.01, category: 'Other', date: '1970-01-01' },
        { amount: 1000000, category: 'Other', date: '2099-12-31', description: ` ${'d'.repeat(200)}\n` },
        { amount: 3.1, category: 'Health', date: '2028-02-29', description: '   ' },
      ];
      for (const body of accepted) expect((await send(w.handler, 'POST', '/api/expenses', { json: body })).status, JSON.stringify(body)).to.equal(201);
      const rejected: [Record<string, unknown>, string][] = [
        [{ amount: 1000000.01, category: 'Other', date: '2026-11-01' }, 'amount'],
        [{ amount: 0, category: 'Other', date: '2026-11-01' }, 'amount'],
        [{ amount: 5, category: 'Other', date: '1969-12-31' }, 'date'],
        [{ amount: 5, category: 'Other', date: '2100-01-01' }, 'date'],
        [{ amount: 5, category: 'Other', date: '2026-02-29' }, 'date'],
        [{ amount: 5, category: 'Other', date: '2026-11-01', description: 'd'.repeat(201) }, 'description'],
        [{ amount: 5, category: 'Other', date: '2026-11-01', description: 7 }, 'description'],
        [{ amount: 5, category: 'Other stuff', date: '2026-11-01' }, 'category'],
      ];
      for (const [body, field] of rejected) {
        expect(requestProblems('POST', '/api/expenses', { body }), `the document rejects ${JSON.stringify(body)}`).to.not.be.empty;
        const answer = await send(w.handler, 'POST', '/api/expenses', { json: body });
        expect(answer.status, JSON.stringify(body)).to.equal(400);
        expect(answer.body.error.fields).to.have.keys(field);
      }
      expect((await send(w.handler, 'PUT', '/api/budget', { json: { monthlyLimit: 1e9, categoryLimits: { Food: 0.01 }, thresholds: [1, 1000, 2, 999, 3] } })).status).to.equal(200);
      for (const [body, field] of [
        [{ monthlyLimit: 1000000000.01 }, 'monthlyLimit'],
        [{ thresholds: [10, 20, 30, 40, 50, 60] }, 'thresholds'],
        [{ thresholds: [1001] }, 'thresholds'],
        [{ thresholds: [] }, 'thresholds'],
        [{ alertEmail: `${'a'.repeat(250)}@example.com` }, 'alertEmail'],
      ] as [Record<string, unknown>, string][]) {
        expect(requestProblems('PUT', '/api/budget', { body }), `the document rejects ${JSON.stringify(body)}`).to.not.be.empty;
        const answer = await send(w.handler, 'PUT', '/api/budget', { json: body });
        expect(answer.status, JSON.stringify(body)).to.equal(400);
        expect(answer.body.error.fields).to.have.keys(field);
      }
    });

    // The contract says `description` is an optional *string*; null is not a string.
    it('POST /api/expenses rejects "description": null (the contract\'s description is an optional string)', async () => {
      const body = { amount: 5, category: 'Food', date: '2026-11-03', description: null };
      expect(requestProblems('POST', '/api/expenses', { body }), 'the document rejects it').to.not.be.empty;
      const answer = await send(w.handler, 'POST', '/api/expenses', { json: body });
      expect(answer.status, `the handler answered ${answer.status} ${JSON.stringify(answer.body)}`).to.equal(400);
      expect(answer.body.error.fields).to.have.keys('description');
    });
  });

  describe('401, 404, 405, 413, 415, 422', () => {
    it('401 on every secured operation without a user, before anything else is checked', async () => {
      const secured = documentedOperations().filter((op) => op.secured);
      expect(secured).to.have.length(29);
      for (const op of secured) {
        for (const user of [null, '', 'x'.repeat(129)]) {
          const answer = await send(w.handler, op.method, op.path, { ...validRequest(op.operationId!), user });
          expect(answer.status, `${op.method} ${op.path} as ${JSON.stringify(user)}`).to.equal(401);
          expect(answer.body.error.code).to.equal('UNAUTHENTICATED');
        }
      }
    });

    it('404 for an unknown expense id, another user\'s expense, an undecodable id', async () => {
      const { ids } = await seed(w);
      for (const [method, options] of [
        ['GET', { params: { id: 'no-such-expense' } }],
        ['PUT', { params: { id: 'no-such-expense' }, json: NOVEMBER[0] }],
        ['DELETE', { params: { id: 'no-such-expense' } }],
        ['GET', { params: { id: ids[0]! }, user: OTHER_USER }],
        ['PUT', { params: { id: ids[0]! }, json: NOVEMBER[0], user: OTHER_USER }],
        ['DELETE', { params: { id: ids[0]! }, user: OTHER_USER }],
      ] as [string, Send][]) {
        const answer = await send(w.handler, method, '/api/expenses/{id}', options);
        expect(answer.status, `${method} ${JSON.stringify(options.params)}`).to.equal(404);
        expect(answer.body.error.code).to.equal('NOT_FOUND');
      }
      const undecodable = await w.handler(apiEvent('GET', '/api/expenses/%E0%A4%A'));
      expectMatchesOpenApi('GET', '/api/expenses/{id}', undecodable);
      expect(undecodable.statusCode).to.equal(404);

      // Deleted means gone.
      expect((await send(w.handler, 'DELETE', '/api/expenses/{id}', { params: { id: ids[0]! } })).status).to.equal(204);
      expect((await send(w.handler, 'GET', '/api/expenses/{id}', { params: { id: ids[0]! } })).status).to.equal(404);
      expect((await send(w.handler, 'DELETE', '/api/expenses/{id}', { params: { id: ids[0]! } })).status).to.equal(404);
    });

    it('404 ROUTE_NOT_FOUND for paths the document does not have', async () => {
      for (const path of ['/api/expense', '/api/expenses/abc/receipt', '/api', '/', '/api/budgets']) {
        const answer = await send(w.handler, 'GET', path);
        expect(answer.status, path).to.equal(404);
        expect(answer.body.error.code).to.equal('ROUTE_NOT_FOUND');
      }
    });

    it('405 with an Allow header listing exactly the documented methods, on every documented path', async () => {
      for (const path of Object.keys(openApi.paths)) {
        const answer = await send(w.handler, 'TRACE', path, { params: { id: 'some-id' } });
        expect(answer.status, path).to.equal(405);
        expect(answer.body.error.code).to.equal('METHOD_NOT_ALLOWED');
        expect(answer.headers.allow).to.be.a('string');
      }
      const post = await send(w.handler, 'POST', '/api/budget', { json: BUDGET });
      expect(post.headers.allow).to.equal('GET, PUT');
    });

    const jsonBodyOperations = (status: string) => documentedOperations().filter((op) => op.statuses.includes(status) && !op.path.startsWith('/api/imports'));

    it('413 for a body over 16 KiB on every operation with a body (checked before the media type)', async () => {
      const operations = jsonBodyOperations('413');
      expect(operations.map((op) => op.operationId).sort()).to.deep.equal(['addExpense', 'createCategory', 'createRecurrence', 'replaceExpense', 'setBudget', 'updateCategory', 'updateRecurrence']);
      const big = JSON.stringify({ description: 'x'.repeat(MAX_BODY_BYTES) });
      for (const op of operations) {
        for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }]) {
          const answer = await send(w.handler, op.method, op.path, { params: { id: op.path.includes('recurring') ? SOME_RECURRENCE : 'Food' }, raw: big, headers });
          expect(answer.status, op.operationId).to.equal(413);
          expect(answer.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
        }
      }
      // Exactly 16 KiB is not too large: it is judged on its content instead.
      const exact = JSON.stringify({ description: 'x'.repeat(MAX_BODY_BYTES - 18) });
      expect(Buffer.byteLength(exact)).to.equal(MAX_BODY_BYTES);
      expect((await send(w.handler, 'PUT', '/api/budget', { raw: exact, headers: { 'content-type': 'application/json' } })).status).to.equal(400);
    });

    it('415 for a body not sent as application/json on every operation with a body', async () => {
      const operations = jsonBodyOperations('415');
      expect(operations.map((op) => op.operationId).sort()).to.deep.equal(['addExpense', 'createCategory', 'createRecurrence', 'replaceExpense', 'setBudget', 'updateCategory', 'updateRecurrence']);
      for (const op of operations) {
        for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, {}] as Record<string, string>[]) {
          const answer = await send(w.handler, op.method, op.path, { params: { id: op.path.includes('recurring') ? SOME_RECURRENCE : 'Food' }, raw: JSON.stringify(BUDGET), headers });
          expect(answer.status, `${op.operationId} ${JSON.stringify(headers)}`).to.equal(415);
          expect(answer.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
        }
      }
    });

    it('422 when an Idempotency-Key is reused with a different body', async () => {
      const headers = { 'Idempotency-Key': 'add-0001' };
      expect((await send(w.handler, 'POST', '/api/expenses', { json: NOVEMBER[0], headers })).status).to.equal(201);
      const reused = await send(w.handler, 'POST', '/api/expenses', { json: { ...NOVEMBER[0], amount: 121.5 }, headers });
      expect(reused.status).to.equal(422);
      expect(reused.body.error.code).to.equal('IDEMPOTENCY_KEY_REUSED');
      // The key is per user: another user may use the same one.
      expect((await send(w.handler, 'POST', '/api/expenses', { json: NOVEMBER[1], headers, user: OTHER_USER })).status).to.equal(201);
    });
  });

  describe('categories', () => {
    it('GET lists the ten defaults; POST adds one (201) with a generated id; PATCH renames and archives (200)', async () => {
      const listed = await send(w.handler, 'GET', '/api/categories');
      expect(listed.status).to.equal(200);
      expect(listed.body.items.map((c: { id: string }) => c.id)).to.deep.equal(['Food', 'Transport', 'Housing', 'Utilities', 'Health', 'Entertainment', 'Shopping', 'Travel', 'Education', 'Other']);
      const created = await send(w.handler, 'POST', '/api/categories', { json: { name: '  Pets ', color: '#AD1457' } });
      expect(created.status).to.equal(201);
      expect(created.body).to.deep.include({ name: 'Pets', color: '#ad1457', archived: false });
      const renamed = await send(w.handler, 'PATCH', '/api/categories/{id}', { params: { id: created.body.id }, json: { name: 'Animals', archived: true } });
      expect(renamed.status).to.equal(200);
      expect(renamed.body).to.deep.equal({ ...created.body, name: 'Animals', archived: true });
    });

    it('POST and PATCH answer 409 CATEGORY_EXISTS for a name taken ignoring case, POST 409 TOO_MANY_CATEGORIES past 100', async () => {
      const taken = await send(w.handler, 'POST', '/api/categories', { json: { name: 'FOOD' } });
      expect([taken.status, taken.body.error.code]).to.deep.equal([409, 'CATEGORY_EXISTS']);
      const clash = await send(w.handler, 'PATCH', '/api/categories/{id}', { params: { id: 'Travel' }, json: { name: 'food' } });
      expect([clash.status, clash.body.error.code]).to.deep.equal([409, 'CATEGORY_EXISTS']);
      const bulk = testApp({ writeRateLimit: BULK_WRITES });
      const handler = createApiHandler(apiDependencies(bulk.container, [ORIGIN]));
      for (let i = 0; i < 90; i++) expect((await send(handler, 'POST', '/api/categories', { json: { name: `Category ${i}` } })).status).to.equal(201);
      const full = await send(handler, 'POST', '/api/categories', { json: { name: 'One too many' } });
      expect([full.status, full.body.error.code]).to.deep.equal([409, 'TOO_MANY_CATEGORIES']);
    });

    it('POST and PATCH answer 400 naming the field; PATCH and DELETE 404 for an unknown id', async () => {
      for (const json of [{}, { name: '' }, { name: 'x'.repeat(41) }, { name: 'a\u200bb' }, { name: 'Pets', color: 'red' }, { name: 'Pets', icon: 'dog' }]) {
        const answer = await send(w.handler, 'POST', '/api/categories', { json });
        expect(answer.status, JSON.stringify(json)).to.equal(400);
      }
      expect((await send(w.handler, 'PATCH', '/api/categories/{id}', { params: { id: 'Food' }, json: { archived: 'yes' } })).status).to.equal(400);
      for (const [method, options] of [['PATCH', { json: { name: 'X' } }], ['DELETE', {}]] as [string, Send][]) {
        const answer = await send(w.handler, method, '/api/categories/{id}', { ...options, params: { id: 'no-such-category' } });
        expect([answer.status, answer.body.error.code]).to.deep.equal([404, 'NOT_FOUND']);
      }
    });

    it('DELETE answers 409 CATEGORY_IN_USE while expenses use it, 400 for a bad moveTo, and 200 {"moved"} moving them', async () => {
      await seed(w);
      const usage = await send(w.handler, 'GET', '/api/categories/{id}/usage', { params: { id: 'Food' } });
      expect([usage.status, usage.body]).to.deep.equal([200, { expenses: 3, months: 1, limited: true }]);
      expect((await send(w.handler, 'GET', '/api/categories/{id}/usage', { params: { id: 'Pets' } })).status).to.equal(404);
      const inUse = await send(w.handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Housing' } });
      expect([inUse.status, inUse.body.error.code]).to.deep.equal([409, 'CATEGORY_IN_USE']);
      const badTarget = await send(w.handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Housing' }, query: { moveTo: 'Housing' } });
      expect(badTarget.status).to.equal(400);
      expect(badTarget.body.error.fields).to.have.keys('moveTo');
      const merged = await send(w.handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Housing' }, query: { moveTo: 'Other' } });
      expect([merged.status, merged.body]).to.deep.equal([200, { moved: 1 }]);
      const unused = await send(w.handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Education' } });
      expect([unused.status, unused.body]).to.deep.equal([200, { moved: 0 }]);
    });

    it('DELETE answers 202 with what remains when a merge outlasts its time budget, and the repeat finishes it', async () => {
      const bulk = testApp({ writeRateLimit: BULK_WRITES });
      const handler = createApiHandler(apiDependencies(bulk.container, [ORIGIN]));
      for (let i = 0; i < 120; i++) await send(handler, 'POST', '/api/expenses', { json: { amount: 1, category: 'Travel', date: '2026-11-03' } });
      // Every reading of the clock is 15 s after the one before: the budget runs out after the first batch.
      const start = bulk.clock.current.getTime();
      let reads = 0;
      sinon.stub(bulk.clock, 'now').callsFake(() => new Date(start + 15_000 * reads++));
      const first = await send(handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Travel' }, query: { moveTo: 'Other' } });
      expect([first.status, first.body]).to.deep.equal([202, { moved: 97, remaining: 23 }]);
      const second = await send(handler, 'DELETE', '/api/categories/{id}', { params: { id: 'Travel' }, query: { moveTo: 'Other' } });
      expect([second.status, second.body]).to.deep.equal([200, { moved: 23 }]);
    });
  });

  describe('export', () => {
    it('GET /api/export answers a CSV attachment, pages with a Link header, and 400 for a bad range', async () => {
      await seed(w);
      const page = await send(w.handler, 'GET', '/api/export', { query: { from: '2026-11', to: '2026-11' } });
      expect(page.status).to.equal(200);
      expect(page.response.body!.split('\r\n')[0]).to.equal('date,amount,currency,category,description,original_amount,original_currency,id,created_at,updated_at');
      for (const query of [{ from: '2026-11', to: '2026-10' }, { from: '2026-11' }, { from: '2026-11', to: '2026-11', cursor: 'x' }] as Record<string, string>[]) {
        expect((await send(w.handler, 'GET', '/api/export', { query })).status, JSON.stringify(query)).to.equal(400);
      }
    });
  });

  describe('recurring expenses', () => {
    it('create (201, occurrences due made at once), list, get, replace, skip (200), delete (204); 404 for unknown ids', async () => {
      w.app.clock.current = new Date('2026-12-02T09:00:00.000Z');
      const created = await send(w.handler, 'POST', '/api/recurring', { json: RENT });
      expect([created.status, created.body.nextDate]).to.deep.equal([201, '2027-01-01']);
      const params = { id: created.body.id };
      expect((await send(w.handler, 'GET', '/api/expenses', { query: { month: '2026-11' } })).body.items.map((e: { recurringId?: string }) => e.recurringId)).to.deep.equal([created.body.id]);
      expect((await send(w.handler, 'GET', '/api/summary', { query: { month: '2027-01' } })).body.upcoming.total).to.equal(950);
      expect((await send(w.handler, 'GET', '/api/recurring')).body.items).to.have.length(1);
      expect((await send(w.handler, 'GET', '/api/recurring/{id}', { params })).body).to.deep.equal(created.body);
      const replaced = await send(w.handler, 'PUT', '/api/recurring/{id}', { params, json: { ...RENT, amount: 990 } });
      expect([replaced.status, replaced.body.amount]).to.deep.equal([200, 990]);
      const skipped = await send(w.handler, 'POST', '/api/recurring/{id}/skip', { params });
      expect([skipped.status, skipped.body.nextDate]).to.deep.equal([200, '2027-02-01']);
      expect((await send(w.handler, 'DELETE', '/api/recurring/{id}', { params })).status).to.equal(204);
      for (const [method, path, json] of [['GET', '/api/recurring/{id}'], ['PUT', '/api/recurring/{id}', RENT], ['DELETE', '/api/recurring/{id}'], ['POST', '/api/recurring/{id}/skip']] as [string, string, unknown][]) {
        for (const id of [created.body.id, 'not-a-uuid']) {
          const answer = await send(w.handler, method, path, { params: { id }, ...(json ? { json } : {}) });
          expect([answer.status, answer.body.error.code], `${method} ${path} ${id}`).to.deep.equal([404, 'NOT_FOUND']);
        }
      }
    });

    it('400 naming the fields for a bad schedule or expense, or a skip past the end', async () => {
      const bad = await send(w.handler, 'POST', '/api/recurring', { json: { ...RENT, amount: 0, schedule: { frequency: 'hourly', startDate: '2026-10-01' } } });
      expect([bad.status, Object.keys(bad.body.error.fields).sort()]).to.deep.equal([400, ['amount', 'schedule.frequency']]);
      const once = await send(w.handler, 'POST', '/api/recurring', { json: { ...RENT, schedule: { frequency: 'yearly', startDate: '2027-05-01', end: { after: 1 } } } });
      const params = { id: once.body.id };
      expect((await send(w.handler, 'PUT', '/api/recurring/{id}', { params, json: { ...RENT, schedule: { frequency: 'weekly', startDate: '2027-05-01', dayOfMonth: 3 } } })).status).to.equal(400);
      expect((await send(w.handler, 'POST', '/api/recurring/{id}/skip', { params })).status).to.equal(200);
      expect((await send(w.handler, 'POST', '/api/recurring/{id}/skip', { params })).status).to.equal(400);
    });

    it('writes answer 429 once the write bucket is empty', async () => {
      const app = testApp({ writeRateLimit: { burst: 1, refillPerSecond: 1 } });
      const handler = createApiHandler(apiDependencies(app.container, [ORIGIN]));
      const { body: created } = await send(handler, 'POST', '/api/recurring', { json: { ...RENT, schedule: { frequency: 'monthly', startDate: '2027-03-01' } } });
      const params = { id: created.id };
      for (const limited of [
        await send(handler, 'POST', '/api/recurring', { json: RENT }),
        await send(handler, 'PUT', '/api/recurring/{id}', { params, json: RENT }),
        await send(handler, 'POST', '/api/recurring/{id}/skip', { params }),
        await send(handler, 'DELETE', '/api/recurring/{id}', { params }),
      ]) {
        expect([limited.status, limited.headers['retry-after']]).to.deep.equal([429, '1']);
      }
    });
  });

  describe('imports', () => {
    const upload = (handler: ApiHandler, csv: string, headers: Record<string, string> = { 'content-type': 'text/csv' }, query?: Record<string, string>) =>
      send(handler, 'POST', '/api/imports', { raw: csv, headers, ...(query ? { query } : {}) });

    it('upload (201), list, get, preview (200), commit (200), undo (200): the whole flow', async () => {
      const draft = await upload(w.handler, IMPORT_CSV, { 'content-type': 'text/csv; charset=utf-8' }, { name: 'bank.csv' });
      expect(draft.status).to.equal(201);
      expect(draft.body).to.deep.include({ fileName: 'bank.csv', status: 'draft', preset: null, ask: {} });
      const params = { id: draft.body.id };
      expect((await send(w.handler, 'GET', '/api/imports')).body.items.map((i: { id: string }) => i.id)).to.deep.equal([draft.body.id]);
      const preview = await send(w.handler, 'POST', '/api/imports/{id}/preview', { params, json: draft.body.suggested, query: { limit: '1' } });
      expect([preview.status, preview.body.counts.ok, preview.body.rows.length, preview.body.nextOffset]).to.deep.equal([200, 2, 1, 1]);
      const committed = await send(w.handler, 'POST', '/api/imports/{id}/commit', { params, json: draft.body.suggested });
      expect([committed.status, committed.body]).to.deep.equal([200, { status: 'committed', imported: 2, skipped: 0, rejected: 0 }]);
      expect((await send(w.handler, 'GET', '/api/imports/{id}', { params })).body).to.deep.include({ status: 'committed', months: ['2026-11'] });
      const undone = await send(w.handler, 'DELETE', '/api/imports/{id}', { params });
      expect([undone.status, undone.body]).to.deep.equal([200, { removed: 2 }]);
      const again = await send(w.handler, 'POST', '/api/imports/{id}/commit', { params, json: draft.body.suggested });
      expect([again.status, again.body.error.code]).to.deep.equal([409, 'IMPORT_CONFLICT']);
    });

    it('400 for a file that is no table, bad settings or undecided duplicates; 404 for an unknown import', async () => {
      const notCsv = await upload(w.handler, 'hello\nworld\n');
      expect([notCsv.status, Object.keys(notCsv.body.error.fields)]).to.deep.equal([400, ['file']]);
      expect((await upload(w.handler, IMPORT_CSV, undefined, { delimiter: 'x' })).status).to.equal(400);
      const { body: draft } = await upload(w.handler, IMPORT_CSV);
      const params = { id: draft.id };
      const badColumn = await send(w.handler, 'POST', '/api/imports/{id}/preview', { params, json: { ...draft.suggested, columns: { date: 'Datum', amount: 'amount' } } });
      expect([badColumn.status, Object.keys(badColumn.body.error.fields)]).to.deep.equal([400, ['columns.date']]);
      expect((await send(w.handler, 'POST', '/api/imports/{id}/preview', { params, json: draft.suggested, query: { status: 'maybe' } })).status).to.equal(400);
      await send(w.handler, 'POST', '/api/expenses', { json: { amount: 4.2, category: 'Food', date: '2026-11-04' } });
      const undecided = await send(w.handler, 'POST', '/api/imports/{id}/commit', { params, json: draft.suggested });
      expect([undecided.status, Object.keys(undecided.body.error.fields)]).to.deep.equal([400, ['duplicates']]);
      for (const [method, path, json] of [
        ['GET', '/api/imports/{id}', undefined], ['DELETE', '/api/imports/{id}', undefined],
        ['POST', '/api/imports/{id}/preview', draft.suggested], ['POST', '/api/imports/{id}/commit', draft.suggested],
      ] as [string, string, unknown][]) {
        for (const id of [SOME_IMPORT, 'not-a-uuid']) {
          const answer = await send(w.handler, method, path, { params: { id }, ...(json ? { json } : {}) });
          expect([answer.status, answer.body.error.code], `${method} ${path} ${id}`).to.deep.equal([404, 'NOT_FOUND']);
        }
        // Another user's import is no import of yours.
        expect((await send(w.handler, method, path, { params, user: OTHER_USER, ...(json ? { json } : {}) })).status).to.equal(404);
      }
    });

    it('413 past 5 MiB of file or 1 MiB of settings; 415 for another media type or a file not in UTF-8', async () => {
      const big = await upload(w.handler, `date,amount\n${'2026-11-01,1.00\n'.repeat(350_000)}`);
      expect([big.status, big.body.error.code]).to.deep.equal([413, 'PAYLOAD_TOO_LARGE']);
      const json = await upload(w.handler, IMPORT_CSV, { 'content-type': 'application/json' });
      expect([json.status, json.body.error.code]).to.deep.equal([415, 'UNSUPPORTED_MEDIA_TYPE']);
      const latin1 = await send(w.handler, 'POST', '/api/imports', { raw: Buffer.from('date,description,amount\n2026-11-01,Caf\xe9,3\n', 'latin1').toString('base64'), base64: false, headers: { 'content-type': 'text/csv' } });
      expect(latin1.status).to.equal(400);
      const encoded = await w.handler({ ...apiEvent('POST', '/api/imports', { headers: { 'content-type': 'text/csv' } }), body: Buffer.from('date,description,amount\n2026-11-01,Caf\xe9,3\n', 'latin1').toString('base64'), isBase64Encoded: true });
      expectMatchesOpenApi('POST', '/api/imports', encoded);
      expect([encoded.statusCode, JSON.parse(encoded.body!).error.code]).to.deep.equal([415, 'UNSUPPORTED_ENCODING']);
      const { body: draft } = await upload(w.handler, IMPORT_CSV);
      for (const path of ['/api/imports/{id}/preview', '/api/imports/{id}/commit']) {
        const huge = await send(w.handler, 'POST', path, { params: { id: draft.id }, raw: JSON.stringify({ ...IMPORT_SETTINGS, exclude: Array(600_000).fill(1) }), headers: { 'content-type': 'application/json' } });
        expect([huge.status, huge.body.error.code], path).to.deep.equal([413, 'PAYLOAD_TOO_LARGE']);
        const text = await send(w.handler, 'POST', path, { params: { id: draft.id }, raw: JSON.stringify(IMPORT_SETTINGS), headers: { 'content-type': 'text/plain' } });
        expect([text.status, text.body.error.code], path).to.deep.equal([415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
    });

    it('commit and undo answer 202 with what remains when they outlast their time budget, and the repeat finishes', async () => {
      const bulk = testApp({ writeRateLimit: BULK_WRITES });
      const handler = createApiHandler(apiDependencies(bulk.container, [ORIGIN]));
      const rows = Array.from({ length: 150 }, (_, i) => `2026-${i < 100 ? '10' : '11'}-03,item ${i},1.00`);
      const { body: draft } = await upload(handler, `date,description,amount\n${rows.join('\n')}\n`);
      const params = { id: draft.id };
      // Every reading of the clock is 15 s after the one before: the budget runs out after the first batch.
      const slowClock = () => {
        const start = bulk.clock.current.getTime();
        let reads = 0;
        return sinon.stub(bulk.clock, 'now').callsFake(() => new Date(start + 15_000 * reads++));
      };
      let clock = slowClock();
      const first = await send(handler, 'POST', '/api/imports/{id}/commit', { params, json: draft.suggested });
      expect([first.status, first.body]).to.deep.equal([202, { status: 'committing', imported: 96, remaining: 54 }]);
      clock.restore();
      const second = await send(handler, 'POST', '/api/imports/{id}/commit', { params, json: draft.suggested });
      expect([second.status, second.body]).to.deep.equal([200, { status: 'committed', imported: 150, skipped: 0, rejected: 0 }]);
      clock = slowClock();
      const undoing = await send(handler, 'DELETE', '/api/imports/{id}', { params });
      expect([undoing.status, undoing.body]).to.deep.equal([202, { removed: 96, remaining: 54 }]);
      clock.restore();
      expect((await send(handler, 'DELETE', '/api/imports/{id}', { params })).body).to.deep.equal({ removed: 54 });
    });

    it('upload, commit and undo answer 429 once the write bucket is empty', async () => {
      const app = testApp({ writeRateLimit: { burst: 3, refillPerSecond: 1 } });
      const handler = createApiHandler(apiDependencies(app.container, [ORIGIN]));
      const { body: committed } = await upload(handler, IMPORT_CSV);
      await send(handler, 'POST', '/api/imports/{id}/commit', { params: { id: committed.id }, json: committed.suggested });
      const { body: draft } = await upload(handler, 'date,description,amount\n2026-11-05,Cinema,12.00\n');
      for (const limited of [
        await upload(handler, IMPORT_CSV),
        await send(handler, 'POST', '/api/imports/{id}/commit', { params: { id: draft.id }, json: draft.suggested }),
        await send(handler, 'DELETE', '/api/imports/{id}', { params: { id: committed.id } }),
      ]) {
        expect([limited.status, limited.headers['retry-after']]).to.deep.equal([429, '1']);
      }
      // Nothing changed: the committed import stays, the draft stays a draft.
      expect((await send(handler, 'GET', '/api/summary', { query: { month: '2026-11' } })).body.count).to.equal(2);
      expect((await send(handler, 'GET', '/api/imports')).body.items.map((i: { status: string }) => i.status)).to.deep.equal(['draft', 'committed']);
    });
  });

  describe('trends', () => {
    it('GET /api/trends answers twelve months against the budget with their change, and 400 for a bad month', async () => {
      await seed(w);
      const trends = await send(w.handler, 'GET', '/api/trends', { query: { to: '2026-12' } });
      expect(trends.status).to.equal(200);
      expect(trends.body.months.map((m: { month: string }) => m.month)).to.deep.equal(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
      const [november, december] = trends.body.months.slice(10);
      expect(november).to.deep.include({ total: 1010.99, count: 6, limit: 1000, change: { amount: 1010.99, percent: null } });
      expect(november.categoryLimits).to.deep.equal({ Food: 300, Travel: 500 });
      expect(december).to.deep.include({ total: 0, change: { amount: -1010.99, percent: -100 } });
      const bad = await send(w.handler, 'GET', '/api/trends', { query: { to: '2026-13' } });
      expect([bad.status, bad.body.error.fields]).to.deep.equal([400, { to: 'must be a month, YYYY-MM between 1970-01 and 2099-12' }]);
      // Without `to`: the twelve months ending with the current one (the clock's November).
      expect((await send(w.handler, 'GET', '/api/trends')).body.months[11].month).to.equal('2026-11');
    });
  });

  describe('monthly report unsubscribe link (public)', () => {
    it('shows a button for a link, turns the report off on POST without signing in, and refuses links without a token, altered or expired', async () => {
      const app = testApp();
      app.clock.current = new Date('2026-11-10T09:00:00.000Z');
      const handler = createApiHandler(apiDependencies(app.container, [ORIGIN]));
      await send(handler, 'PUT', '/api/budget', { json: { ...BUDGET } });
      const { tokenSecret } = app.container.get(TOKENS.ReportSettings);
      const token = signUnsubscribeToken(USER, new Date('2027-01-01T00:00:00.000Z'), tokenSecret);
      const shown = await send(handler, 'GET', '/api/reports/unsubscribe', { query: { token }, user: null });
      expect(shown.status).to.equal(200);
      expect(shown.body).to.contain('<form method="post"').and.contain(encodeURIComponent(token));
      expect((await send(handler, 'GET', '/api/budget')).body.monthlyReport).to.equal(true);
      expect((await send(handler, 'GET', '/api/reports/unsubscribe', { query: {}, user: null })).status).to.equal(400);
      const altered = await send(handler, 'POST', '/api/reports/unsubscribe', { query: { token: `${token}x` }, user: null });
      expect([altered.status, altered.body.error.code]).to.deep.equal([400, 'INVALID_UNSUBSCRIBE_LINK']);
      app.clock.current = new Date('2027-01-01T00:00:01.000Z');
      const expired = await send(handler, 'POST', '/api/reports/unsubscribe', { query: { token }, user: null });
      expect([expired.status, expired.body.error.code]).to.deep.equal([410, 'EXPIRED_UNSUBSCRIBE_LINK']);
      expect((await send(handler, 'GET', '/api/budget')).body.monthlyReport).to.equal(true);
      app.clock.current = new Date('2026-11-20T09:00:00.000Z');
      const done = await send(handler, 'POST', '/api/reports/unsubscribe', { query: { token }, raw: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' }, user: null });
      expect(done.status).to.equal(200);
      expect(done.body).to.contain('The monthly report is off');
      expect((await send(handler, 'GET', '/api/budget')).body.monthlyReport).to.equal(false);
    });
  });

  describe('500 and 503', () => {
    // Health and the unsubscribe page (which only shows a button) call no use case.
    const withUseCase = () => documentedOperations().filter((op) => op.operationId !== 'getHealth' && op.operationId !== 'showReportUnsubscribe');

    it('every operation but health calls a use case the test knows', () => {
      expect(withUseCase().map((op) => op.operationId).sort()).to.deep.equal(Object.keys(USE_CASE).sort());
    });

    it('503 with Retry-After on every operation when a dependency stays unavailable', async () => {
      for (const op of withUseCase()) {
        const useCase = w.deps[USE_CASE[op.operationId!]!] as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
        const stub = sinon.stub(useCase, 'execute').rejects(new DependencyUnavailableError('DynamoDB throttled', 7));
        const answer = await send(w.handler, op.method, op.path, validRequest(op.operationId!));
        expect(stub.calledOnce, op.operationId).to.equal(true);
        expect(answer.status, op.operationId).to.equal(503);
        expect(answer.headers['retry-after']).to.equal('7');
        expect(answer.body.error.code).to.equal('SERVICE_UNAVAILABLE');
        stub.restore();
      }
    });

    it('500 "internal error" on every operation for an unexpected fault, showing no internals', async () => {
      for (const op of withUseCase()) {
        const useCase = w.deps[USE_CASE[op.operationId!]!] as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
        const stub = sinon.stub(useCase, 'execute').rejects(new Error('secret: table Expenses-prod-8f2 is gone'));
        const answer = await send(w.handler, op.method, op.path, validRequest(op.operationId!));
        expect(answer.status, op.operationId).to.equal(500);
        expect(answer.body).to.deep.equal({ error: { code: 'INTERNAL', message: 'internal error' } });
        expect(answer.response.body).to.not.include('secret');
        stub.restore();
      }
      expect(w.app.logger.lines.filter((l) => l.message === 'unhandled error')).to.have.length(withUseCase().length);
    });
  });

  // Runs last (mocha runs sub-suites in order): relies on the responses the suites above checked.
  describe('coverage', () => {
    it('exercised every documented operation and every documented status code', () => {
      const exercised = exercisedResponseKeys();
      const missing = documentedResponseKeys().filter((key) => !exercised.has(key));
      expect(missing, 'documented responses no test produced (run the whole file: -g "OpenAPI")').to.deep.equal([]);
      for (const op of documentedOperations()) {
        expect([...exercised].some((key) => key.startsWith(`${op.method} ${op.path} `)), `${op.method} ${op.path}`).to.equal(true);
      }
    });
  });
});
