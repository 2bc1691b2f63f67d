import { appendFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import type { ApiHandler } from '../../src/adapters/http/api-handler.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { GetBudget } from '../../src/application/use-cases/get-budget.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { ListCategories } from '../../src/application/use-cases/list-categories.js';
import { ListExpenses } from '../../src/application/use-cases/list-expenses.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { StartImport } from '../../src/application/use-cases/start-import.js';
import { parseCsvFile } from '../../src/adapters/csv/csv-import.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget } from '../support/fixtures.js';
import { handlerOf, MONTHS, rawEvent, seed, type RawRequest } from './support.js';

/*
 * 16,400 generated malformed requests against the API handler (in-memory adapters), in families.
 * Each request is built by breaking exactly one part of an otherwise valid request, so it is
 * malformed by construction. Every one must get its 4xx with the error body (never a 500, never
 * a success), no id outside the id rule may reach storage, and afterwards the stored data must be
 * exactly what it was.
 */

const OWNER = 'owner-7f3a';
const CLAIMS = { sub: OWNER };
const JSON_TYPE = { 'content-type': 'application/json' };
/** The ids the API issues or ever will (UUIDs now); no other id may reach storage. */
const EXPENSE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
const EXPENSE = { amount: 12.5, category: 'Food', date: '2026-11-10', description: 'lunch' };
const IMPORT_CSV = 'date,description,amount\n2026-11-03,Bakery,4.20\n2026-11-04,Bus,2.90\n';
const IMPORT_SETTINGS = {
  header: true, columns: { date: 'date', amount: 'amount', description: 'description' }, dateFormat: 'YYYY-MM-DD', decimalSeparator: '.',
  spendingSign: 'positive', spendingTypes: [], categories: [], defaultCategory: 'Other',
};
const CSV_TYPE = { 'content-type': 'text/csv' };
const RENT = { amount: 950, category: 'Housing', description: 'Rent', schedule: { frequency: 'monthly', interval: 1, startDate: '2026-10-01', weekend: 'none' } };
type Upload = { body: string; headers: Record<string, string>; status: number; base64?: boolean };
const BUDGET_BODY = { currency: 'USD', monthlyLimit: 500, categoryLimits: { Food: 100 }, thresholds: [50, 80], alertEmail: 'me@example.com' };

interface Case { family: string; label: string; request: RawRequest; statuses: number[] }

/** The world each family runs against: one owner with expenses in three months, a budget and alerts. */
async function seededApp(): Promise<{ app: TestApp; handler: ApiHandler; ids: string[]; importId: string }> {
  const app = testApp();
  await app.get(SetBudget).execute(OWNER, budget({ monthlyLimit: 10_000, categoryLimits: { Food: 5000 }, thresholds: [50, 100] }));
  const add = app.get(AddExpense);
  const ids: string[] = [];
  for (const [amount, category, date] of [[4000, 'Food', '2026-11-03'], [2500, 'Travel', '2026-11-09'], [900, 'Food', '2026-10-30'], [12_000, 'Housing', '2026-12-01']] as const) {
    ids.push((await add.execute(OWNER, { amount, category, date, description: `seed ${amount}` })).expense.id);
  }
  const draft = await app.get(StartImport).execute(OWNER, { fileName: 'bank.csv', ...parseCsvFile(IMPORT_CSV) });
  return { app, handler: handlerOf(app), ids, importId: draft.record.id };
}

/** Everything the owner can observe, through the use cases, plus the raw store and what was sent. */
async function observe(app: TestApp): Promise<unknown> {
  const months: Record<string, unknown> = {};
  for (const month of MONTHS) {
    months[month] = {
      summary: await app.get(GetMonthSummary).execute(OWNER, month),
      list: await app.get(ListExpenses).execute(OWNER, { month, limit: 100 }),
      alerts: (await app.get(ListAlerts).execute(OWNER, month)).alerts,
    };
  }
  // The in-memory store creates an empty ledger on a read for any user id; only non-empty ones count as data.
  const users = (app.ledger as unknown as { users: Map<string, { expenses: Map<string, unknown>; months: Map<string, unknown>; budget: unknown; alerts: Map<string, unknown>; idempotency: Map<string, unknown>; imports: Map<string, unknown> }> }).users;
  const stored = [...users.entries()]
    .filter(([, l]) => l.expenses.size || l.months.size || l.budget || l.alerts.size || l.idempotency.size || l.imports.size)
    .map(([user, l]) => [user, structuredClone(l)]);
  return {
    months, budget: await app.get(GetBudget).execute(OWNER), categories: await app.get(ListCategories).execute(OWNER), stored,
    published: structuredClone(app.notifier.published), subscriptions: structuredClone(app.notifier.subscriptions),
  };
}

// ---------- building blocks ----------

/** Raw JSON for `base` with `key` set to `literal` exactly as written (so 1e400, -0 and 12.345 reach the parser verbatim). */
function withRaw(base: Record<string, unknown>, key: string, literal: string): string {
  return JSON.stringify({ ...base, [key]: '\u0000RAW\u0000' }).replace('"\\u0000RAW\\u0000"', literal);
}

const writeTarget = (ids: string[]) => fc.oneof(
  fc.constant({ method: 'POST', path: '/api/expenses' }),
  fc.constantFrom(...ids).map((id) => ({ method: 'PUT', path: `/api/expenses/${id}` })),
);
const budgetTarget = { method: 'PUT', path: '/api/budget' };
const controlChar = fc.integer({ min: 0, max: 31 }).chain((c) => fc.constantFrom(String.fromCharCode(c), String.fromCharCode(127), '\u2028', '\u202e'));
/** Characters no free text may hold: controls, line separators, bidi controls, zero-width and other format characters, lone surrogates. */
const unprintable = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
    '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u2061', '\u2064', '\u180e', '\u{e0001}', '\u{e0067}', '\ud800', '\udbff', '\udc00'),
);
const withControl = (valid: string) => fc.tuple(fc.nat({ max: valid.length }), controlChar).map(([at, c]) => valid.slice(0, at) + c + valid.slice(at));

function expenseCase(family: string, ids: string[], body: fc.Arbitrary<{ label: string; json: string }>, statuses = [400]): fc.Arbitrary<Case> {
  return fc.tuple(writeTarget(ids), body).map(([target, { label, json }]) => ({
    family, label: `${target.method} ${target.path}: ${label}`, statuses,
    request: { ...target, claims: CLAIMS, headers: JSON_TYPE, body: json },
  }));
}

function budgetCase(family: string, body: fc.Arbitrary<{ label: string; json: string }>, statuses = [400]): fc.Arbitrary<Case> {
  return body.map(({ label, json }) => ({ family, label: `PUT /api/budget: ${label}`, statuses, request: { ...budgetTarget, claims: CLAIMS, headers: JSON_TYPE, body: json } }));
}

// Numbers that are not a positive amount with at most two decimals within range.
const threeDecimals = (max: number) => fc.tuple(fc.integer({ min: 0, max: max - 1 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 9 }))
  .map(([whole, cents, last]) => `${whole}.${String(cents).padStart(2, '0')}${last}`);
const manyDecimals = (max: number) => fc.tuple(fc.integer({ min: 0, max: max - 1 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 3, max: 8 }))
  .map(([whole, mid, last, zeros]) => `${whole}.${String(mid).padStart(3, '0').slice(0, 2)}${'0'.repeat(zeros)}${last}`);
/** Only literals whose parsed double differs from the two-decimal value: 93726057.2100000005 parses to 93726057.21 exactly, so no server could tell. */
const distinguishable = (literal: string) => Number(literal) !== Number(literal.slice(0, literal.indexOf('.') + 3));
const badAmountLiteral = (max: number) => fc.oneof(
  fc.constantFrom('0', '-0', '0.0', '-0.01', '-1', '1e400', '-1e400', '1.7976931348623157e308', '5e-324', '1e-10', '4e-10', '0.000000001', '0.001', '0.005', '0.009',
    String(max + 0.01), String(max + 1), String(max * 10), '1e21', '9007199254740993', `${max}.001`, `${max - 1}.999`),
  fc.double({ noNaN: true, noDefaultInfinity: true, max: -Number.MIN_VALUE }).map(String),
  fc.double({ noNaN: true, min: max + 0.01, noDefaultInfinity: true }).map(String),
  fc.double({ min: Number.MIN_VALUE, max: 0.0049, noNaN: true }).map(String),
  threeDecimals(max).filter(distinguishable),
  manyDecimals(max).filter(distinguishable),
);

const impossibleDate = fc.oneof(
  fc.constantFrom('2026-02-29', '2025-02-29', '2100-02-29', '2026-02-30', '2026-02-31', '2026-04-31', '2026-06-31', '2026-09-31', '2026-11-31',
    '2026-00-10', '2026-13-01', '2026-11-00', '2026-11-32', '1969-12-31', '2100-01-01', '0000-01-01', '9999-12-31', '2026-1-05', '2026-11-5',
    '20261105', '2026/11/05', '05-11-2026', '2026-11-05T00:00:00Z', ' 2026-11-05', '2026-11-05 ', '２０２６-11-05', '2026-11', '', 'today', '+2026-11-05', '-2026-11-05'),
  fc.tuple(fc.integer({ min: 1970, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 99 }))
    .filter(([y, m, d]) => new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d)
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 0, max: 9999 }).filter((y) => y < 1970 || y > 2099), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
);

const wrongTypeFor = (kind: 'number' | 'string') => fc.oneof(
  ...(kind === 'number' ? [fc.string({ maxLength: 8 }), fc.constantFrom('12.50', '1e2', '')] : [fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })]),
  fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({}), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

// ---------- the families ----------

function families(ids: string[], importId: string): { name: string; runs: number; arb: fc.Arbitrary<Case> }[] {
  const existing = fc.constantFrom(...ids);
  return [
    {
      name: 'broken JSON', runs: 1000,
      arb: fc.tuple(fc.oneof(writeTarget(ids), fc.constant(budgetTarget)), fc.oneof(
        fc.string({ maxLength: 40 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
        fc.nat({ max: 40 }).map((n) => JSON.stringify(EXPENSE).slice(0, n)).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
        fc.constantFrom('{"amount": NaN, "category": "Food", "date": "2026-11-10"}', '{"amount": Infinity, "category": "Food", "date": "2026-11-10"}',
          '{"amount": 1,}', "{'amount': 1}", '{"amount": 1} trailing', '{"amount": 0x10}', '{"amount": .5}', '{"amount": 01}', '{"amount": +1}',
          '{"amount": undefined}', '{amount: 1}', '/* c */ {}', '{"a":1}{"b":2}', '\uFEFF{}', '{"description": "\u0001"}'),
      )).map(([target, body]) => ({ family: 'broken JSON', label: `${target.method} ${target.path}: ${JSON.stringify(body)}`, statuses: [400], request: { ...target, claims: CLAIMS, headers: JSON_TYPE, body } })),
    },
    {
      name: 'JSON that is not an object', runs: 300,
      arb: fc.tuple(fc.oneof(writeTarget(ids), fc.constant(budgetTarget)), fc.oneof(fc.constantFrom('null', 'true', '0', '"x"', '[]', '[{}]'), fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v))))
        .map(([target, body]) => ({ family: 'not an object', label: `${target.method} ${target.path}: ${body.slice(0, 60)}`, statuses: [400], request: { ...target, claims: CLAIMS, headers: JSON_TYPE, body } })),
    },
    {
      name: 'wrong types', runs: 1500,
      arb: fc.oneof(
        expenseCase('wrong types', ids, fc.tuple(fc.constantFrom('amount', 'category', 'date', 'description'), fc.nat()).chain(([field]) =>
          wrongTypeFor(field === 'amount' ? 'number' : 'string')
            .map((v) => ({ label: `${field}=${JSON.stringify(v)}`, json: JSON.stringify({ ...EXPENSE, [field]: v }) })))),
        budgetCase('wrong types', fc.constantFrom('currency', 'monthlyLimit', 'categoryLimits', 'thresholds', 'alertEmail').chain((field) => {
          const bad = field === 'currency' || field === 'alertEmail' ? wrongTypeFor('string').filter((v) => v !== null)
            : field === 'monthlyLimit' ? wrongTypeFor('number').filter((v) => v !== null)
              : field === 'categoryLimits' ? fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ Food: '100' }), fc.constant({ Food: null }), fc.constant({ Food: [100] }))
                : fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({}), fc.constant(['50']), fc.constant([null]), fc.constant([50, '80']), fc.constant([[50]]));
          return bad.map((v) => ({ label: `${field}=${JSON.stringify(v)}`, json: JSON.stringify({ ...BUDGET_BODY, [field]: v }) }));
        })),
      ),
    },
    {
      name: 'boundary, non-finite and over-precise numbers', runs: 1500,
      arb: fc.oneof(
        expenseCase('numbers', ids, badAmountLiteral(1_000_000).map((literal) => ({ label: `amount ${literal}`, json: withRaw(EXPENSE, 'amount', literal) }))),
        budgetCase('numbers', badAmountLiteral(1_000_000_000).map((literal) => ({ label: `monthlyLimit ${literal}`, json: withRaw(BUDGET_BODY, 'monthlyLimit', literal) }))),
        budgetCase('numbers', badAmountLiteral(1_000_000_000).map((literal) => ({ label: `categoryLimits.Food ${literal}`, json: JSON.stringify(BUDGET_BODY).replace('"Food":100', `"Food":${literal}`) }))),
        budgetCase('numbers', fc.oneof(fc.constantFrom('0', '-1', '1001', '50.5', '1e400', '80.0001', '-0.5', '1000.5'), fc.integer({ min: 1001 }).map(String), fc.integer({ max: 0 }).map(String))
          .map((literal) => ({ label: `thresholds [${literal}]`, json: JSON.stringify(BUDGET_BODY).replace('"thresholds":[50,80]', `"thresholds":[50,${literal}]`) }))),
      ),
    },
    {
      name: 'impossible dates', runs: 800,
      arb: expenseCase('dates', ids, impossibleDate.map((date) => ({ label: `date ${JSON.stringify(date)}`, json: JSON.stringify({ ...EXPENSE, date }) }))),
    },
    {
      name: 'huge and control-character strings', runs: 1200,
      arb: fc.oneof(
        expenseCase('strings', ids, fc.tuple(fc.integer({ min: 201, max: 4000 }), fc.constantFrom('x', 'é', '😀', '漢', ' x')).map(([n, ch]) => ({ label: `description ${n}×${JSON.stringify(ch)}`, json: JSON.stringify({ ...EXPENSE, description: ch.repeat(n) }) }))),
        expenseCase('strings', ids, fc.oneof(withControl('Food'), fc.integer({ min: 50, max: 10_000 }).map((n) => 'Food'.repeat(n / 4))).map((category) => ({ label: `category ${JSON.stringify(category).slice(0, 40)}`, json: JSON.stringify({ ...EXPENSE, category }) }))),
        expenseCase('strings', ids, withControl('2026-11-10').map((date) => ({ label: `date ${JSON.stringify(date)}`, json: JSON.stringify({ ...EXPENSE, date }) }))),
        budgetCase('strings', fc.oneof(withControl('USD'), fc.constant('USD'.repeat(3000))).map((currency) => ({ label: `currency ${JSON.stringify(currency).slice(0, 40)}`, json: JSON.stringify({ ...BUDGET_BODY, currency }) }))),
        budgetCase('strings', fc.oneof(withControl('me@example.com'), fc.integer({ min: 243, max: 5000 }).map((n) => `${'a'.repeat(n)}@example.com`)).map((alertEmail) => ({ label: `alertEmail ${JSON.stringify(alertEmail).slice(0, 40)}`, json: JSON.stringify({ ...BUDGET_BODY, alertEmail }) }))),
        budgetCase('strings', withControl('Food').map((category) => ({ label: `categoryLimits key ${JSON.stringify(category)}`, json: JSON.stringify({ ...BUDGET_BODY, categoryLimits: { [category]: 100 } }) }))),
        fc.tuple(fc.constantFrom('/api/summary', '/api/alerts', '/api/expenses'), fc.oneof(withControl('2026-11'), fc.integer({ min: 100, max: 20_000 }).map((n) => '2026-11'.repeat(n / 7))))
          .map(([path, month]) => ({ family: 'strings', label: `GET ${path}?month=${JSON.stringify(month).slice(0, 40)}`, statuses: [400], request: { method: 'GET', path, claims: CLAIMS, query: { month } } })),
      ),
    },
    {
      name: 'control, bidi and invisible characters in descriptions', runs: 800,
      arb: expenseCase('text', ids, fc.oneof(
        // Inside the text: at either end, whitespace such as a tab or a line feed is trimmed like a space.
        fc.tuple(fc.constantFrom('lunch at noon', 'Café', 'שלום עולם', 'ab', '漢字'), fc.nat(), unprintable)
          .map(([text, at, c]) => { const i = 1 + (at % (text.length - 1)); return text.slice(0, i) + c + text.slice(i); }),
        // At either end, for the ones that are not whitespace (U+FEFF included, which String.prototype.trim would drop).
        fc.tuple(fc.constantFrom('lunch', ' lunch ', 'مرحبا'), fc.boolean(), fc.constantFrom('\u202e', '\u2066', '\u200f', '\u200b', '\u2060', '\ufeff', '\u0000', '\u007f', '\ud800'))
          .map(([text, atStart, c]) => (atStart ? c + text : text + c)),
        // Over 200 characters once in NFC, however short the sent form.
        fc.integer({ min: 201, max: 400 }).map((n) => 'e\u0301'.repeat(n)),
      ).map((description) => ({ label: `description ${JSON.stringify(description).slice(0, 60)}`, json: JSON.stringify({ ...EXPENSE, description }) }))),
    },
    {
      name: '__proto__ / constructor keys', runs: 600,
      arb: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'), fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '1', '"x"', 'null', '[]')).chain(([key, value]) => fc.oneof(
        expenseCase('proto', ids, fc.constant({ label: `top-level ${key}`, json: JSON.stringify(EXPENSE).replace(/}$/, `,"${key}":${value}}`) })),
        expenseCase('proto', ids, fc.constant({ label: `only ${key}`, json: `{"${key}":${value}}` })),
        budgetCase('proto', fc.constant({ label: `top-level ${key}`, json: JSON.stringify(BUDGET_BODY).replace(/}$/, `,"${key}":${value}}`) })),
        budgetCase('proto', fc.constant({ label: `categoryLimits.${key}`, json: JSON.stringify(BUDGET_BODY).replace('"Food":100', `"Food":100,"${key}":${value === 'null' ? '5' : value}`) })),
      )),
    },
    {
      name: 'wrong methods and routes', runs: 700,
      arb: fc.oneof(
        fc.tuple(fc.constantFrom(
          ['/api/expenses', ['PUT', 'DELETE', 'PATCH', 'HEAD', 'TRACE', 'CONNECT', 'FOO', 'patch']],
          ['/api/expenses/ID', ['POST', 'PATCH', 'HEAD', 'TRACE', 'PROPFIND']],
          ['/api/summary', ['POST', 'PUT', 'DELETE', 'PATCH']],
          ['/api/budget', ['POST', 'DELETE', 'PATCH', 'HEAD']],
          ['/api/alerts', ['POST', 'PUT', 'DELETE']],
          ['/api/health', ['POST', 'PUT', 'DELETE']],
        ) as fc.Arbitrary<[string, string[]]>, existing, fc.nat()).map(([[path, methods], id, n]) => {
          const method = methods[n % methods.length]!;
          return { family: 'methods', label: `${method} ${path}`, statuses: [405], request: { method, path: path.replace('ID', id), claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(EXPENSE) } };
        }),
        fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), fc.constantFrom('/', '/api', '/api/', '/api/expense', '/api/expenses/a/b', '/api/budgets', '/api/summary/2026-11', '/apix/expenses', '/API/expenses', '/api/expenses//', '/api/../api/budget', '/api/%2e%2e/budget'))
          .map(([method, path]) => ({ family: 'methods', label: `${method} ${path}`, statuses: [404], request: { method, path, claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(EXPENSE) } })),
      ),
    },
    {
      name: 'wrong content types', runs: 800,
      arb: fc.tuple(fc.oneof(writeTarget(ids), fc.constant(budgetTarget)), fc.option(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json',
        'application/json-patch+json', 'application/jsonx', 'json', '', 'application/ json', 'application/javascript', 'application/json5', '*/*', 'application/vnd.api+json', 'application/json\u0000'), { nil: undefined }))
        .map(([target, type]): Case => ({
          family: 'content types', label: `${target.method} ${target.path} content-type ${JSON.stringify(type)}`, statuses: [415],
          request: { ...target, claims: CLAIMS, headers: type === undefined ? {} : { 'content-type': type }, body: JSON.stringify(target.path === '/api/budget' ? BUDGET_BODY : EXPENSE) },
        })),
    },
    {
      name: 'oversized bodies', runs: 300,
      arb: fc.tuple(fc.oneof(writeTarget(ids), fc.constant(budgetTarget)), fc.integer({ min: 16 * 1024 + 1, max: 200 * 1024 }), fc.boolean(), fc.boolean()).map(([target, size, base64, valid]) => {
        const text = valid ? JSON.stringify({ ...EXPENSE, description: 'x'.repeat(size) }) : '{'.repeat(size);
        return {
          family: 'oversized', label: `${target.method} ${target.path} ${size} bytes${base64 ? ' base64' : ''}`, statuses: [413],
          request: { ...target, claims: CLAIMS, headers: JSON_TYPE, body: base64 ? Buffer.from(text).toString('base64') : text, isBase64Encoded: base64 },
        };
      }),
    },
    {
      name: 'missing or malformed identity', runs: 800,
      arb: fc.tuple(
        fc.oneof(
          fc.constant(undefined), fc.constant({}), fc.constant({ email: 'owner@example.com' }),
          fc.constantFrom<unknown>('', null, 0, 42, true, [OWNER], { id: OWNER }).map((sub) => ({ sub })),
          fc.integer({ min: 129, max: 5000 }).map((n) => ({ sub: 'a'.repeat(n) })),
        ),
        fc.constantFrom(
          { method: 'POST', path: '/api/expenses', body: EXPENSE }, { method: 'PUT', path: '/api/expenses/ID', body: EXPENSE }, { method: 'DELETE', path: '/api/expenses/ID' },
          { method: 'GET', path: '/api/expenses/ID' }, { method: 'GET', path: '/api/expenses', query: { month: '2026-11' } }, { method: 'GET', path: '/api/summary', query: { month: '2026-11' } },
          { method: 'GET', path: '/api/budget' }, { method: 'PUT', path: '/api/budget', body: BUDGET_BODY }, { method: 'GET', path: '/api/alerts', query: { month: '2026-11' } },
        ),
        existing,
      ).map(([claims, route, id]) => ({
        family: 'identity', label: `${route.method} ${route.path} claims ${JSON.stringify(claims)?.slice(0, 50)}`, statuses: [401],
        request: {
          method: route.method, path: route.path.replace('ID', id), ...(claims === undefined ? {} : { claims: claims as Record<string, unknown> }),
          ...('query' in route ? { query: route.query } : {}), ...('body' in route ? { headers: JSON_TYPE, body: JSON.stringify(route.body) } : {}),
        },
      })),
    },
    {
      name: 'malformed query parameters', runs: 700,
      arb: fc.oneof(
        fc.tuple(fc.constantFrom('/api/summary', '/api/alerts', '/api/expenses'), fc.option(fc.oneof(
          fc.constantFrom('', '2026-13', '2026-00', '2026-1', '1969-12', '2100-01', '2026-11-01', '11-2026', '2026/11', ' 2026-11', '２０２６-11', 'null', 'undefined'),
          fc.string({ maxLength: 10 }).filter((s) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(s)),
        ), { nil: undefined })).map(([path, month]): Case => ({ family: 'query', label: `GET ${path}?month=${JSON.stringify(month)}`, statuses: [400], request: { method: 'GET', path, claims: CLAIMS, query: month === undefined ? {} : { month } } })),
        fc.oneof(fc.constantFrom('0', '101', '-1', '1.5', '1e2', 'abc', '', ' 5', '0x10', '1000', '5 ', '+5', 'NaN', 'Infinity'), fc.integer({ min: 101 }).map(String))
          .map((limit) => ({ family: 'query', label: `GET /api/expenses limit=${JSON.stringify(limit)}`, statuses: [400], request: { method: 'GET', path: '/api/expenses', claims: CLAIMS, query: { month: '2026-11', limit } } })),
        fc.oneof(fc.constantFrom('food', 'FOOD', 'Food ', 'Groceries', '', 'total', '__proto__', 'constructor'), fc.string({ maxLength: 10 }).filter((c) => !['Food', 'Transport', 'Housing', 'Utilities', 'Health', 'Entertainment', 'Shopping', 'Travel', 'Education', 'Other'].includes(c)))
          .map((category) => ({ family: 'query', label: `GET /api/expenses category=${JSON.stringify(category)}`, statuses: [400], request: { method: 'GET', path: '/api/expenses', claims: CLAIMS, query: { month: '2026-11', category } } })),
        fc.oneof(
          fc.constantFrom('', '!!!', 'a'.repeat(401), Buffer.from('2026-10-30#2026-11-15T10:00:00.000Z#x').toString('base64url'), Buffer.from('2026-11-99#x#y').toString('base64url'), Buffer.from('2026-11-01##').toString('base64url'), Buffer.from('2026-11-01#a#b#c').toString('base64url')),
          fc.string({ minLength: 1, maxLength: 60 }).map((s) => Buffer.from(s).toString('base64url')).filter((c) => !/^[A-Za-z0-9_-]+$/.test(c) || !/^2026-11-\d{2}#[^#]+#[^#]+$/.test(Buffer.from(c, 'base64url').toString('utf8'))),
        ).map((cursor) => ({ family: 'query', label: `GET /api/expenses cursor=${JSON.stringify(cursor).slice(0, 50)}`, statuses: [400], request: { method: 'GET', path: '/api/expenses', claims: CLAIMS, query: { month: '2026-11', cursor } } })),
      ),
    },
    {
      name: 'malformed Idempotency-Key', runs: 400,
      arb: fc.oneof(fc.constantFrom('', ' ', 'has space', 'tab\tkey', 'ключ', 'k\u0000', 'k\u007f', '😀'), fc.integer({ min: 256, max: 3000 }).map((n) => 'k'.repeat(n)), withControl('key-1'))
        .map((key) => ({ family: 'idempotency', label: `POST /api/expenses Idempotency-Key ${JSON.stringify(key).slice(0, 40)}`, statuses: [400], request: { method: 'POST', path: '/api/expenses', claims: CLAIMS, headers: { ...JSON_TYPE, 'idempotency-key': key }, body: JSON.stringify(EXPENSE) } })),
    },
    {
      name: 'invalid budget rules', runs: 800,
      arb: budgetCase('budget', fc.oneof(
        fc.constantFrom<unknown[]>([], [1, 2, 3, 4, 5, 6], [50, 50], [0], [1001], [50.5], [-5], [80, 80, 100]).map((thresholds) => ({ label: `thresholds ${JSON.stringify(thresholds)}`, json: JSON.stringify({ ...BUDGET_BODY, thresholds }) })),
        fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 6, maxLength: 12 }).map((thresholds) => ({ label: `${thresholds.length} thresholds`, json: JSON.stringify({ ...BUDGET_BODY, thresholds }) })),
        fc.oneof(fc.constantFrom('usd', 'US', 'USDD', 'ZZZ', 'U$D', '€', '', 'XYZ1'), fc.string({ minLength: 1, maxLength: 5 }).filter((c) => !/^[A-Z]{3}$/.test(c))).map((currency) => ({ label: `currency ${JSON.stringify(currency)}`, json: JSON.stringify({ ...BUDGET_BODY, currency }) })),
        fc.oneof(fc.constantFrom('no-at', 'a@', '@b.c', 'a b@c.d', 'a@b', 'a@@b.c', '<a@b.c>', 'a@b.c\n', ''), fc.string({ maxLength: 20 }).filter((s) => !s.includes('@'))).map((alertEmail) => ({ label: `alertEmail ${JSON.stringify(alertEmail)}`, json: JSON.stringify({ ...BUDGET_BODY, alertEmail }) })),
        fc.constantFrom<unknown>({ Unknown: 5 }, { food: 5 }, { Food: 0 }, { Food: -5 }, { Food: 1e10 }, { total: 5 }).map((categoryLimits) => ({ label: `categoryLimits ${JSON.stringify(categoryLimits)}`, json: JSON.stringify({ ...BUDGET_BODY, categoryLimits }) })),
        fc.constantFrom('tip', 'month', 'userId', 'id', 'limits').map((key) => ({ label: `unknown field ${key}`, json: JSON.stringify({ ...BUDGET_BODY, [key]: 1 }) })),
      )),
    },
    {
      name: 'missing and unknown expense fields', runs: 400,
      arb: expenseCase('fields', ids, fc.oneof(
        fc.subarray(['amount', 'category', 'date'], { minLength: 1 }).map((drop) => ({ label: `without ${drop.join(', ')}`, json: JSON.stringify(Object.fromEntries(Object.entries(EXPENSE).filter(([k]) => !drop.includes(k)))) })),
        fc.constantFrom('id', 'userId', 'user_id', 'createdAt', 'updatedAt', 'tip', 'Amount', 'amount ').map((key) => ({ label: `unknown field ${JSON.stringify(key)}`, json: JSON.stringify({ ...EXPENSE, [key]: 'x' }) })),
      )),
    },
    {
      name: 'unknown or malformed expense ids', runs: 600,
      arb: fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE'), fc.oneof(
        fc.uuid(), fc.constantFrom('%23BUDGET', '%23MONTH%232026-11', '%23ALERT%232026-11%23total%2350', '%23IDEMPOTENCY%23k', '..', '%2e%2e', '%00', '%E0%A4%A', '%', '%zz', 'null', 'undefined', '__proto__', 'constructor'),
        fc.integer({ min: 200, max: 3000 }).map((n) => 'x'.repeat(n)),
        fc.constantFrom(...ids).map((id) => `${id}x`), fc.constantFrom(...ids).map((id) => id.toUpperCase()), fc.constantFrom(...ids).map((id) => ` ${id}`),
        // Too long: just over 64 characters, and over DynamoDB's 1,024-byte sort key.
        fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 65, maxLength: 1100 }),
        fc.constantFrom(...ids).map((id) => `${id}${'0'.repeat(64 - id.length + 1)}`),
        fc.constantFrom(...ids).map((id) => `%23${id}`),
        // One character outside [A-Za-z0-9_-], raw or percent-encoded, anywhere in a real id.
        fc.tuple(fc.constantFrom(...ids), fc.nat(), fc.constantFrom('.', '~', '!', '*', '(', '%23', '%2F', '%20', '%00', '%0A', '%25', '%2B', '%C3%A9', '%E2%80%AE', '%EF%BB%BF', '%F0%9F%98%80'))
          .map(([id, at, c]) => id.slice(0, at % (id.length + 1)) + c + id.slice(at % (id.length + 1))),
      )).map(([method, id]) => ({
        family: 'ids', label: `${method} /api/expenses/${id.slice(0, 40)}`, statuses: [404],
        request: { method, path: `/api/expenses/${id}`, claims: CLAIMS, ...(method === 'PUT' ? { headers: JSON_TYPE, body: JSON.stringify(EXPENSE) } : {}) },
      })),
    },
    {
      name: 'categories and exports', runs: 1200,
      arb: fc.oneof(
        // A new category's name: unprintable characters, nothing visible, too long, not a string; a colour that is not #rrggbb; unknown fields.
        fc.oneof(
          fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), unprintable).map(([name, c]) => ({ name: `${name}${c}x` })),
          fc.constantFrom('', ' ', '\t', '\u3000').map((name) => ({ name })),
          fc.string({ minLength: 41, maxLength: 60 }).filter((s) => [...s.trim()].length > 40).map((name) => ({ name })),
          wrongTypeFor('string').map((name) => ({ name })),
          fc.oneof(fc.constantFrom('red', '#12345', '#1234567', '123456', '#ggg000', '', '#12 456'), wrongTypeFor('string')).map((color) => ({ name: 'Pets', color })),
          fc.constantFrom({}, { name: 'Pets', icon: 'dog' }, { name: 'Pets', archived: true }, { title: 'Pets' }),
        ).map((body) => ({ family: 'categories', label: `POST /api/categories ${JSON.stringify(body).slice(0, 60)}`, statuses: [400],
          request: { method: 'POST', path: '/api/categories', claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(body) } })),
        fc.oneof(
          fc.constant({}),
          fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('true')).map((archived) => ({ archived })),
          fc.tuple(fc.string({ maxLength: 10 }), unprintable).map(([name, c]) => ({ name: `a${c}b${name}` })),
          fc.constantFrom({ id: 'Other' }, { name: 'Groceries', budget: 5 }),
        ).map((body) => ({ family: 'categories', label: `PATCH /api/categories/Food ${JSON.stringify(body).slice(0, 60)}`, statuses: [400],
          request: { method: 'PATCH', path: '/api/categories/Food', claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(body) } })),
        // Food holds expenses: moving them to a category that is not the user's, or to a malformed id, is refused.
        fc.oneof(fc.constantFrom('Food', 'Nope', 'food', '', '__proto__', 'a b', 'x'.repeat(41)), fc.string({ maxLength: 12 })).map((moveTo) => ({
          family: 'categories', label: `DELETE /api/categories/Food?moveTo=${JSON.stringify(moveTo)}`, statuses: [400],
          request: { method: 'DELETE', path: '/api/categories/Food', claims: CLAIMS, query: { moveTo } },
        })),
        // An id outside the rule names no category.
        fc.tuple(fc.constantFrom('PATCH', 'DELETE', 'GET'), fc.oneof(fc.constantFrom('__proto__', 'x'.repeat(41), 'a%20b', '..', '%2e%2e'), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => /[^A-Za-z0-9_-]/.test(s)).map(encodeURIComponent)))
          .map(([method, id]) => ({
            family: 'categories', label: `${method} /api/categories/${id}`, statuses: [404],
            request: { method, path: `/api/categories/${id}${method === 'GET' ? '/usage' : ''}`, claims: CLAIMS, ...(method === 'PATCH' ? { headers: JSON_TYPE, body: '{"name":"X"}' } : {}) },
          })),
        fc.oneof(
          fc.record({ from: fc.oneof(impossibleDate, fc.constantFrom('2026-13', '1969-12', '2100-01', '2026-1')), to: fc.constant('2026-11') }),
          fc.record({ from: fc.constant('2026-11'), to: fc.constantFrom('2026-10', '2036-11', '2026-13', '') }),
          fc.record({ from: fc.constant('2026-11'), to: fc.constant('2026-11'), cursor: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 20 })) }),
        ).map((query) => ({ family: 'categories', label: `GET /api/export ${JSON.stringify(query)}`, statuses: [400], request: { method: 'GET', path: '/api/export', claims: CLAIMS, query } })),
      ),
    },
    {
      name: 'recurring expenses', runs: 800,
      arb: fc.oneof(
        // A recurring expense broken in exactly one part of its schedule or its expense fields.
        fc.oneof(
          fc.constantFrom(undefined, null, 'monthly', [], 5).map((schedule) => ({ ...RENT, schedule })),
          fc.oneof(fc.constantFrom('fortnightly', 'Monthly', '', 'hourly'), wrongTypeFor('string')).map((frequency) => ({ ...RENT, schedule: { ...RENT.schedule, frequency } })),
          fc.oneof(fc.constantFrom(0, 366, 1.5, -1, 1e9), wrongTypeFor('number')).map((interval) => ({ ...RENT, schedule: { ...RENT.schedule, interval } })),
          fc.oneof(impossibleDate, fc.constantFrom('1969-12-31', '2100-01-01', '01/12/2026', '')).map((startDate) => ({ ...RENT, schedule: { ...RENT.schedule, startDate } })),
          fc.oneof(fc.constantFrom(0, 32, -2, 1.5, '1'), wrongTypeFor('number')).map((dayOfMonth) => ({ ...RENT, schedule: { ...RENT.schedule, dayOfMonth } })),
          fc.constantFrom({ frequency: 'monthly', weekday: 'MO' }, { frequency: 'weekly', weekday: 'MON' }, { frequency: 'weekly', dayOfMonth: 3 }, { frequency: 'weekly', weekday: 'mo' })
            .map((patch) => ({ ...RENT, schedule: { ...RENT.schedule, ...patch } })),
          fc.constantFrom({}, { after: 0 }, { after: 1.5 }, { after: 10001 }, { until: '2026-02-30' }, { until: '2026-01-01' }, { after: 2, until: '2027-01-01' }, 'never', [], { count: 3 })
            .map((end) => ({ ...RENT, schedule: { ...RENT.schedule, end } })),
          fc.oneof(fc.constantFrom('skip', 'BEFORE', ''), wrongTypeFor('string')).map((weekend) => ({ ...RENT, schedule: { ...RENT.schedule, weekend } })),
          fc.constantFrom('colour', 'time', '__proto__x', 'timezone').map((key) => ({ ...RENT, schedule: { ...RENT.schedule, [key]: 1 } })),
          fc.constantFrom({ date: '2026-12-01' }, { amount: 0 }, { amount: 12.345 }, { category: 'Nope' }, { category: '' }, { description: 'a\u202eb' }, { id: 'x' }, { nextDate: '2027-01-01' })
            .map((patch) => ({ ...RENT, ...patch })),
        ).map((body) => ({
          family: 'recurring', label: `POST /api/recurring ${JSON.stringify(body).slice(0, 80)}`, statuses: [400],
          request: { method: 'POST', path: '/api/recurring', claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(body) },
        })),
        // An id outside the rule, or one the owner has not, names no recurring expense.
        fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'skip'), fc.oneof(
          fc.constantFrom('__proto__', '..', '%2e%2e', '00000000-0000-4000-8000-000000000000', 'ABCDEF00-0000-4000-8000-000000000000'),
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /[^0-9a-f-]/.test(s)).map(encodeURIComponent),
        )).map(([action, id]) => ({
          family: 'recurring', label: `${action} /api/recurring/${id}`, statuses: [404],
          request: {
            method: action === 'skip' ? 'POST' : action, path: `/api/recurring/${id}${action === 'skip' ? '/skip' : ''}`, claims: CLAIMS,
            ...(action === 'PUT' ? { headers: JSON_TYPE, body: JSON.stringify(RENT) } : {}),
          },
        })),
      ),
    },
    {
      name: 'imports', runs: 1200,
      arb: fc.oneof(
        // Uploads that are no table (lines no delimiter splits, binary, only a header), not text/csv, or not UTF-8.
        fc.oneof(
          fc.array(fc.stringMatching(/^[a-z .]{1,12}$/), { minLength: 1, maxLength: 5 }).map((lines) => ({ body: `${lines.join('\n')}\n`, headers: CSV_TYPE, status: 400 })),
          fc.string({ maxLength: 20 }).map((text) => ({ body: `date,amount\n\u0000${text}`, headers: CSV_TYPE, status: 400 })),
          fc.constantFrom('date,amount\n', 'date;amount;description\r\n', ' \n\n').map((body) => ({ body, headers: CSV_TYPE, status: 400 })),
          fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', '')
            .map((type): Upload => ({ body: IMPORT_CSV, headers: type ? { 'content-type': type } : {}, status: 415 })),
          fc.constantFrom('iso-8859-1', 'windows-1252', 'utf-16').map((charset) => ({ body: IMPORT_CSV, headers: { 'content-type': `text/csv; charset=${charset}` }, status: 415 })),
          fc.integer({ min: 0x80, max: 0xff }).map((byte) => ({ body: Buffer.concat([Buffer.from('date,description,amount\n2026-11-03,Caf'), Buffer.from([byte]), Buffer.from(',3\n')]).toString('base64'), headers: CSV_TYPE, base64: true, status: 415 })),
        ).map(({ body, headers, status, base64 }: Upload) => ({
          family: 'imports', label: `POST /api/imports ${JSON.stringify(headers)} ${JSON.stringify(body.slice(0, 40))}`, statuses: [status],
          request: { method: 'POST', path: '/api/imports', claims: CLAIMS, headers, body, ...(base64 ? { isBase64Encoded: true } : {}) },
        })),
        fc.constantFrom('x', ';;', 'comma', ' ').map((delimiter) => ({
          family: 'imports', label: `POST /api/imports?delimiter=${delimiter}`, statuses: [400],
          request: { method: 'POST', path: '/api/imports', claims: CLAIMS, headers: CSV_TYPE, body: IMPORT_CSV, query: { delimiter } },
        })),
        // Settings broken in exactly one part, for a preview or a commit of the owner's draft.
        fc.tuple(fc.constantFrom('preview', 'commit'), fc.oneof(
          wrongTypeFor('string').filter((v) => typeof v !== 'boolean').map((header) => ({ ...IMPORT_SETTINGS, header })),
          fc.constantFrom(null, [], 'date', 5).map((columns) => ({ ...IMPORT_SETTINGS, columns })),
          fc.constantFrom({ date: 'Datum', amount: 'amount' }, { amount: 'amount' }, { date: 'date' }, { date: 'date', amount: 'amount', debit: 'amount' }, { date: 'date', amount: 'amount', __proto__x: 'y', colour: 'date' }, { date: 'date', amount: '' })
            .map((columns) => ({ ...IMPORT_SETTINGS, columns })),
          fc.oneof(fc.constantFrom('DD-MM-YYYY', 'yyyy-mm-dd', '', 'ISO'), wrongTypeFor('string')).map((dateFormat) => ({ ...IMPORT_SETTINGS, dateFormat })),
          fc.oneof(fc.constantFrom(';', ' ', "'", '..'), wrongTypeFor('string')).map((decimalSeparator) => ({ ...IMPORT_SETTINGS, decimalSeparator })),
          fc.oneof(fc.constantFrom('minus', 'POSITIVE', ''), wrongTypeFor('string')).map((spendingSign) => ({ ...IMPORT_SETTINGS, spendingSign })),
          fc.constantFrom('Nope', 'food', '', '__proto__', 'x'.repeat(41)).map((defaultCategory) => ({ ...IMPORT_SETTINGS, defaultCategory })),
          fc.constantFrom([{ name: 'Groceries' }], [{ name: 'Groceries', to: 'Nope' }], [{ to: 'Food' }], ['Food'], { Groceries: 'Food' }, [{ name: 'x'.repeat(41), to: 'new' }])
            .map((categories) => ({ ...IMPORT_SETTINGS, categories })),
        )).map(([step, body]) => ({
          family: 'imports', label: `POST /api/imports/{id}/${step} ${JSON.stringify(body).slice(0, 80)}`, statuses: [400],
          request: { method: 'POST', path: `/api/imports/${importId}/${step}`, claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(body) },
        })),
        fc.oneof(
          fc.constantFrom('maybe', 'yes', ''),
          wrongTypeFor('string').map((v) => JSON.stringify(v)),
        ).map((duplicates) => ({
          family: 'imports', label: `commit duplicates=${duplicates}`, statuses: [400],
          request: { method: 'POST', path: `/api/imports/${importId}/commit`, claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify({ ...IMPORT_SETTINGS, duplicates, include: [0, -1, 1.5] }) },
        })),
        fc.record({ status: fc.constantFrom('new', 'OK', ''), offset: fc.constantFrom('-1', 'x', '100001'), limit: fc.constantFrom('0', '1001', 'ten') })
          .chain((query) => fc.subarray(Object.keys(query) as (keyof typeof query)[], { minLength: 1 }).map((keys) => Object.fromEntries(keys.map((k) => [k, query[k]]))))
          .map((query) => ({
            family: 'imports', label: `preview ${JSON.stringify(query)}`, statuses: [400],
            request: { method: 'POST', path: `/api/imports/${importId}/preview`, claims: CLAIMS, headers: JSON_TYPE, body: JSON.stringify(IMPORT_SETTINGS), query },
          })),
        // Framing: not JSON, not sent as JSON.
        fc.tuple(fc.constantFrom('preview', 'commit'), fc.constantFrom(['{', 400], ['null', 400], ['[]', 400], ['"x"', 400]) as fc.Arbitrary<[string, number]>, fc.boolean()).map(([step, [body, status], asText]) => ({
          family: 'imports', label: `POST ${step} ${body} ${asText ? 'as text' : ''}`, statuses: [asText ? 415 : status],
          request: { method: 'POST', path: `/api/imports/${importId}/${step}`, claims: CLAIMS, headers: asText ? { 'content-type': 'text/plain' } : JSON_TYPE, body },
        })),
        // An id outside the rule, or one the owner has not, names no import.
        fc.tuple(fc.constantFrom('GET', 'DELETE', 'preview', 'commit'), fc.oneof(
          fc.constantFrom('__proto__', '..', '%2e%2e', importId.toUpperCase(), `${importId}x`, '00000000-0000-4000-8000-000000000000'),
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /[^0-9a-f-]/.test(s)).map(encodeURIComponent),
        )).map(([action, id]) => {
          const post = action === 'preview' || action === 'commit';
          return {
            family: 'imports', label: `${action} /api/imports/${id}`, statuses: [404],
            request: { method: post ? 'POST' : action, path: `/api/imports/${id}${post ? `/${action}` : ''}`, claims: CLAIMS, ...(post ? { headers: JSON_TYPE, body: JSON.stringify(IMPORT_SETTINGS) } : {}) },
          };
        }),
      ),
    },
  ];
}

describe('reliability: malformed requests against the API handler', function () {
  this.timeout(60_000);
  const SEED = seed(4242);
  let total = 0;
  let failures = 0;
  const familyList = families(['00000000-0000-4000-8000-000000000000'], '00000000-0000-4000-8000-000000000000');

  after(() => {
    console.log(`      ${total} malformed requests (seed ${SEED}), ${failures} answered other than with the expected 4xx and error body`);
  });

  it(`generates at least 10,000 cases across ${familyList.length} families`, () => {
    expect(familyList.reduce((sum, f) => sum + f.runs, 0)).to.be.at.least(10_000);
  });

  for (const [index, { name, runs }] of familyList.entries()) {
    it(`${name}: ${runs} requests, each a 4xx with the error body; stored data unchanged`, async () => {
      const { app, handler, ids, importId } = await seededApp();
      const family = families(ids, importId)[index]!;
      const before = await observe(app);
      const storeLookups = sinon.spy(app.ledger, 'getExpense');
      const cases = fc.sample(family.arb, { seed: SEED + index, numRuns: family.runs });
      const wrong: string[] = [];
      const statuses = new Map<number, number>();
      for (const c of cases) {
        const response = await handler(rawEvent(c.request));
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        let body: { error?: { code?: unknown; message?: unknown } } | undefined;
        try { body = response.body ? JSON.parse(response.body) : undefined; } catch { body = undefined; }
        const wellFormed = response.statusCode >= 400 && response.statusCode < 500 && c.statuses.includes(response.statusCode)
          && typeof body?.error?.code === 'string' && typeof body.error.message === 'string'
          && response.headers['content-type']?.startsWith('application/json') === true
          && (response.statusCode !== 405 || typeof response.headers.allow === 'string');
        if (!wellFormed) wrong.push(`${c.label} -> ${response.statusCode} ${response.body?.slice(0, 160)}`);
      }
      if (process.env.RELIABILITY_DUMP) appendFileSync(process.env.RELIABILITY_DUMP, wrong.map((w) => `${name}\t${w}\n`).join(''));
      total += cases.length;
      failures += wrong.length;
      const after = await observe(app);
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
      expect(app.logger.lines.filter((l) => l.message === 'unhandled error'), 'no 500s logged').to.deep.equal([]);
      expect(storeLookups.args.map(([, id]) => id).filter((id) => !EXPENSE_ID.test(id)), 'ids outside the id rule reaching storage').to.deep.equal([]);
      expect(wrong, `${wrong.length} of ${cases.length} answered wrongly (statuses ${JSON.stringify(Object.fromEntries(statuses))}); first ones:\n${wrong.slice(0, 8).join('\n')}\n`).to.deep.equal([]);
      expect(after, 'stored data unchanged').to.deep.equal(before);
    });
  }
});
