import { expect } from 'chai';
import sinon from 'sinon';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { DeliverAlerts } from '../../src/application/use-cases/deliver-alerts.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { apiDependencies } from '../../src/composition-root.js';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';

const ORIGIN = 'https://app.example';

describe('API handler (API Gateway v2 events, in-memory adapters)', () => {
  let app: TestApp;
  let handler: ApiHandler;
  const call = (method: string, path: string, options?: EventOptions) => handler(apiEvent(method, path, options));
  const post = (body: unknown, options: EventOptions = {}) => call('POST', '/api/expenses', { ...options, body });
  const lunch = { amount: 12.5, category: 'Food', date: '2026-11-10', description: 'lunch' };

  beforeEach(() => {
    app = testApp();
    handler = createApiHandler(apiDependencies(app.container, [ORIGIN]));
  });

  async function storedCount(user = 'user-a', month = '2026-11'): Promise<number> {
    return bodyOf(await call('GET', '/api/summary', { user, query: { month } })).count;
  }

  describe('expenses', () => {
    it('answers health without identity', async () => {
      const response = await call('GET', '/api/health', { user: null });
      expect(response.statusCode).to.equal(200);
      expect(bodyOf(response)).to.deep.equal({ status: 'ok' });
    });

    it('creates an expense: 201 with the expense and the alerts it raised', async () => {
      const response = await post(lunch);
      expect(response.statusCode).to.equal(201);
      const { expense, alerts } = bodyOf(response);
      expect(expense).to.include(lunch);
      expect(expense.id).to.be.a('string');
      expect(expense.createdAt).to.equal('2026-11-15T10:00:00.000Z');
      expect(expense.updatedAt).to.equal(expense.createdAt);
      expect(alerts).to.deep.equal([]);
      expect(response.headers['content-type']).to.match(/^application\/json/);
    });

    it('reads, replaces and deletes an expense by id', async () => {
      const { expense } = bodyOf(await post(lunch));
      expect(bodyOf(await call('GET', `/api/expenses/${expense.id}`))).to.deep.equal(expense);
      const replaced = await call('PUT', `/api/expenses/${expense.id}`, { body: { amount: 99.99, category: 'Travel', date: '2026-12-01' } });
      expect(replaced.statusCode).to.equal(200);
      expect(bodyOf(replaced).expense).to.deep.equal({ id: expense.id, amount: 99.99, category: 'Travel', date: '2026-12-01', createdAt: expense.createdAt, updatedAt: expense.updatedAt });
      expect(bodyOf(replaced).alerts).to.deep.equal([]);
      const deleted = await call('DELETE', `/api/expenses/${expense.id}`);
      expect(deleted.statusCode).to.equal(204);
      expect(deleted.body ?? '').to.equal('');
      for (const method of ['GET', 'DELETE']) expect((await call(method, `/api/expenses/${expense.id}`)).statusCode).to.equal(404);
      expect((await call('PUT', `/api/expenses/${expense.id}`, { body: lunch })).statusCode).to.equal(404);
    });

    it('lists a month newest first with a cursor for the next page, and filters by category', async () => {
      for (const [day, category] of [['03', 'Food'], ['20', 'Travel'], ['11', 'Food'], ['28', 'Food']]) {
        await post({ ...lunch, date: `2026-11-${day}`, category });
      }
      await post({ ...lunch, date: '2026-10-31' });
      const first = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11', limit: '3' } }));
      expect(first.items.map((e: { date: string }) => e.date)).to.deep.equal(['2026-11-28', '2026-11-20', '2026-11-11']);
      const second = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11', limit: '3', cursor: first.nextCursor } }));
      expect(second.items.map((e: { date: string }) => e.date)).to.deep.equal(['2026-11-03']);
      expect(second.nextCursor).to.equal(null);
      const food = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11', category: 'Food' } }));
      expect(food.items).to.have.length(3);
      expect(food.nextCursor).to.equal(null);
    });

    it('keeps money exact: 0.1 + 0.2 totals 0.3', async () => {
      await post({ ...lunch, amount: 0.1 });
      await post({ ...lunch, amount: 0.2 });
      const summary = bodyOf(await call('GET', '/api/summary', { query: { month: '2026-11' } }));
      expect(summary).to.deep.equal({ month: '2026-11', currency: 'USD', total: 0.3, count: 2, byCategory: { Food: 0.3 }, budget: null, categories: {} });
    });
  });

  describe('bad input writes nothing and says what is wrong', () => {
    async function expectError(response: Awaited<ReturnType<ApiHandler>>, status: number, code: string) {
      expect(response.statusCode, response.body).to.equal(status);
      const body = bodyOf(response);
      expect(body.error.code).to.equal(code);
      expect(body.error.message).to.be.a('string').and.not.equal('');
      return body.error;
    }

    it('names every invalid field', async () => {
      const error = await expectError(await post({ amount: '12', category: 'Food stuff', date: '2026-02-30', description: 'x'.repeat(201), tip: 1 }), 400, 'VALIDATION_FAILED');
      expect(Object.keys(error.fields).sort()).to.deep.equal(['amount', 'category', 'date', 'description', 'tip']);
      expect(await storedCount()).to.equal(0);
    });

    const invalidExpenses: [string, unknown][] = [
      ['a zero amount', { ...lunch, amount: 0 }],
      ['a negative amount', { ...lunch, amount: -5 }],
      ['three decimals', { ...lunch, amount: 1.005 }],
      ['an amount above 1,000,000', { ...lunch, amount: 1_000_000.01 }],
      ['an amount as a string', { ...lunch, amount: '12.50' }],
      ['a missing amount', { category: 'Food', date: '2026-11-10' }],
      ['an unknown category', { ...lunch, category: 'food' }],
      ['an impossible date', { ...lunch, date: '2026-02-30' }],
      ['a date out of range', { ...lunch, date: '2100-01-01' }],
      ['a date with a time', { ...lunch, date: '2026-11-10T10:00:00Z' }],
      ['a description over 200 characters', { ...lunch, description: 'é'.repeat(201) }],
      ['a description that is not a string', { ...lunch, description: 5 }],
      ['an unknown field', { ...lunch, currency: 'USD' }],
      ['a __proto__ key', JSON.parse('{"amount":1,"category":"Food","date":"2026-11-10","__proto__":{"admin":true}}')],
    ];
    for (const [what, body] of invalidExpenses) {
      it(`rejects ${what} with 400`, async () => {
        await expectError(await post(body), 400, 'VALIDATION_FAILED');
        expect(await storedCount()).to.equal(0);
      });
    }

    it('accepts a description of 200 characters after trimming, and stores it trimmed', async () => {
      const response = await post({ ...lunch, description: `  ${'a'.repeat(200)}  ` });
      expect(response.statusCode).to.equal(201);
      expect(bodyOf(response).expense.description).to.equal('a'.repeat(200));
    });

    it('rejects malformed JSON with 400', async () => {
      await expectError(await post('{"amount": 1,', { headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON');
    });

    it('rejects a body that is not an object', async () => {
      for (const body of ['[]', 'null', '"text"', '12']) {
        await expectError(await post(body, { headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
      }
    });

    it('rejects a body over 16 KiB with 413', async () => {
      await expectError(await post({ ...lunch, description: 'x'.repeat(17 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('rejects a body that is not application/json with 415', async () => {
      await expectError(await post(JSON.stringify(lunch), { headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectError(await post(JSON.stringify(lunch)), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect((await post(JSON.stringify(lunch), { headers: { 'content-type': 'application/json; charset=utf-8' } })).statusCode).to.equal(201);
    });

    it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
      await expectError(await call('GET', '/api/nothing'), 404, 'ROUTE_NOT_FOUND');
      const wrong = await call('PATCH', '/api/budget', { body: {} });
      await expectError(wrong, 405, 'METHOD_NOT_ALLOWED');
      expect(wrong.headers.allow).to.equal('GET, PUT');
      await expectError(await call('DELETE', '/api/expenses'), 405, 'METHOD_NOT_ALLOWED');
    });

    it('answers 401 without an authenticated user', async () => {
      await expectError(await call('GET', '/api/budget', { user: null }), 401, 'UNAUTHENTICATED');
      await expectError(await post(lunch, { user: null }), 401, 'UNAUTHENTICATED');
      await expectError(await post(lunch, { user: '' }), 401, 'UNAUTHENTICATED');
    });

    it('validates listing and month parameters', async () => {
      const cases: Record<string, string>[] = [{}, { month: '2026-13' }, { month: '2026-11', limit: '0' }, { month: '2026-11', limit: '101' }, { month: '2026-11', limit: 'ten' }, { month: '2026-11', category: 'Cars' }, { month: '2026-11', cursor: 'garbage' }];
      for (const query of cases) await expectError(await call('GET', '/api/expenses', { query }), 400, 'VALIDATION_FAILED');
      await expectError(await call('GET', '/api/summary'), 400, 'VALIDATION_FAILED');
      await expectError(await call('GET', '/api/alerts', { query: { month: '26-11' } }), 400, 'VALIDATION_FAILED');
    });

    it('answers 500 with "internal error" only, and logs the details', async () => {
      sinon.stub(app.container.get(GetMonthSummary), 'execute').rejects(new Error('secret connection string'));
      const response = await call('GET', '/api/summary', { query: { month: '2026-11' } });
      expect(response.statusCode).to.equal(500);
      expect(bodyOf(response)).to.deep.equal({ error: { code: 'INTERNAL', message: 'internal error' } });
      expect(JSON.stringify(app.logger.lines)).to.contain('secret connection string');
    });
  });

  describe('budget', () => {
    it('returns defaults until set', async () => {
      expect(bodyOf(await call('GET', '/api/budget'))).to.deep.equal({ currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: null });
    });

    it('replaces the whole budget, sorting thresholds', async () => {
      const set = await call('PUT', '/api/budget', { body: { currency: 'EUR', monthlyLimit: 2000.5, categoryLimits: { Food: 400, Travel: 0.01 }, thresholds: [100, 50, 80], alertEmail: 'me@example.com' } });
      expect(set.statusCode).to.equal(200);
      const expected = { currency: 'EUR', monthlyLimit: 2000.5, categoryLimits: { Food: 400, Travel: 0.01 }, thresholds: [50, 80, 100], alertEmail: 'me@example.com' };
      expect(bodyOf(set)).to.deep.equal(expected);
      expect(bodyOf(await call('GET', '/api/budget'))).to.deep.equal(expected);
      // Fields left out take their defaults: PUT replaces, it does not merge.
      expect(bodyOf(await call('PUT', '/api/budget', { body: { monthlyLimit: 10 } }))).to.deep.equal({ currency: 'USD', monthlyLimit: 10, categoryLimits: {}, thresholds: [80, 100], alertEmail: null });
    });

    it('names every invalid budget field and keeps the old budget', async () => {
      await call('PUT', '/api/budget', { body: { monthlyLimit: 100 } });
      const response = await call('PUT', '/api/budget', { body: { currency: 'usd', monthlyLimit: 1_000_000_000.01, categoryLimits: { Cars: 5, Food: -1 }, thresholds: [80, 80], alertEmail: 'not-an-email' } });
      expect(response.statusCode).to.equal(400);
      expect(Object.keys(bodyOf(response).error.fields).sort()).to.deep.equal(['alertEmail', 'categoryLimits.Cars', 'categoryLimits.Food', 'currency', 'monthlyLimit', 'thresholds']);
      expect(bodyOf(await call('GET', '/api/budget')).monthlyLimit).to.equal(100);
    });

    it('rejects thresholds outside 1 to 5 whole percentages from 1 to 1000', async () => {
      for (const thresholds of [[], [1, 2, 3, 4, 5, 6], [0], [1001], [50.5], ['80'], 80]) {
        const response = await call('PUT', '/api/budget', { body: { thresholds } });
        expect(response.statusCode, JSON.stringify(thresholds)).to.equal(400);
        expect(bodyOf(response).error.fields).to.have.property('thresholds');
      }
      expect((await call('PUT', '/api/budget', { body: { thresholds: [1, 1000] } })).statusCode).to.equal(200);
    });
  });

  describe('alerts', () => {
    beforeEach(async () => {
      await call('PUT', '/api/budget', { body: { monthlyLimit: 100, categoryLimits: { Food: 50 }, thresholds: [80, 100] } });
    });

    it('returns the alerts a write raised and lists the month\'s alerts oldest first', async () => {
      const first = bodyOf(await post({ ...lunch, amount: 40 }));
      expect(first.alerts).to.deep.equal([{ id: '2026-11_Food_80', month: '2026-11', scope: 'Food', threshold: 80, spent: 40, limit: 50, createdAt: '2026-11-15T10:00:00.000Z', delivery: 'sent' }]);
      app.clock.current = new Date('2026-11-16T10:00:00.000Z');
      const second = bodyOf(await post({ ...lunch, amount: 45, category: 'Travel' }));
      expect(second.alerts.map((a: { id: string }) => a.id)).to.deep.equal(['2026-11_total_80']);
      const listed = bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-11' } })).items;
      expect(listed.map((a: { id: string }) => a.id)).to.deep.equal(['2026-11_Food_80', '2026-11_total_80']);
      expect(bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-10' } }))).to.deep.equal({ items: [] });
    });

    it('shows an alert pending while SNS is down, and sent after the retry path delivers it', async () => {
      app.notifier.failing = true;
      const created = await post({ ...lunch, amount: 45 });
      expect(created.statusCode).to.equal(201);
      expect(bodyOf(created).alerts.map((a: { delivery: string }) => a.delivery)).to.deep.equal(['pending']);
      expect(await storedCount()).to.equal(1);
      app.notifier.failing = false;
      app.clock.current = new Date(app.clock.current.getTime() + 60_000);
      await app.container.get(DeliverAlerts).retryDue();
      const listed = bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-11' } })).items;
      expect(listed.map((a: { delivery: string }) => a.delivery)).to.deep.equal(['sent']);
      expect(app.notifier.published).to.have.length(1);
    });
  });

  describe('idempotency', () => {
    it('replays the first response for the same key and body, creating nothing', async () => {
      const first = await post(lunch, { headers: { 'idempotency-key': 'abc-123' } });
      const again = await post(lunch, { headers: { 'idempotency-key': 'abc-123' } });
      expect(again.statusCode).to.equal(201);
      expect(again.body).to.equal(first.body);
      expect(await storedCount()).to.equal(1);
    });

    it('answers 422 for the same key with a different body, creating nothing', async () => {
      await post(lunch, { headers: { 'idempotency-key': 'abc-123' } });
      const response = await post({ ...lunch, amount: 13 }, { headers: { 'idempotency-key': 'abc-123' } });
      expect(response.statusCode).to.equal(422);
      expect(bodyOf(response).error.code).to.equal('IDEMPOTENCY_KEY_REUSED');
      expect(await storedCount()).to.equal(1);
    });

    it('rejects a malformed key', async () => {
      const response = await post(lunch, { headers: { 'idempotency-key': 'has space' } });
      expect(response.statusCode).to.equal(400);
      expect(await storedCount()).to.equal(0);
    });
  });

  describe('CORS', () => {
    it('allows the configured origin and no other', async () => {
      const allowed = await call('GET', '/api/budget', { headers: { origin: ORIGIN } });
      expect(allowed.headers['access-control-allow-origin']).to.equal(ORIGIN);
      expect(allowed.headers.vary).to.equal('origin');
      const other = await call('GET', '/api/budget', { headers: { origin: 'https://evil.example' } });
      expect(other.headers).to.not.have.property('access-control-allow-origin');
      const error = await call('GET', '/api/nothing', { headers: { origin: ORIGIN } });
      expect(error.headers['access-control-allow-origin']).to.equal(ORIGIN);
    });

    it('answers a preflight with the allowed methods and headers', async () => {
      const response = await call('OPTIONS', '/api/expenses', { user: null, headers: { origin: ORIGIN } });
      expect(response.statusCode).to.equal(204);
      expect(response.headers['access-control-allow-methods']).to.equal('POST, GET, OPTIONS');
      expect(response.headers['access-control-allow-headers']).to.contain('idempotency-key');
      expect(response.headers['access-control-allow-origin']).to.equal(ORIGIN);
    });
  });

  describe('two users', () => {
    it('cannot see, change or delete each other\'s expenses, budget or alerts', async () => {
      await call('PUT', '/api/budget', { body: { monthlyLimit: 10, alertEmail: 'a@example.com' } });
      const { expense } = bodyOf(await post(lunch));
      const asB = { user: 'user-b' };
      expect((await call('GET', `/api/expenses/${expense.id}`, asB)).statusCode).to.equal(404);
      expect((await call('PUT', `/api/expenses/${expense.id}`, { ...asB, body: { ...lunch, amount: 1 } })).statusCode).to.equal(404);
      expect((await call('DELETE', `/api/expenses/${expense.id}`, asB)).statusCode).to.equal(404);
      expect(bodyOf(await call('GET', '/api/expenses', { ...asB, query: { month: '2026-11' } }))).to.deep.equal({ items: [], nextCursor: null });
      expect(bodyOf(await call('GET', '/api/summary', { ...asB, query: { month: '2026-11' } })).count).to.equal(0);
      expect(bodyOf(await call('GET', '/api/alerts', { ...asB, query: { month: '2026-11' } })).items).to.deep.equal([]);
      expect(bodyOf(await call('GET', '/api/budget', asB)).monthlyLimit).to.equal(null);
      // A's data is untouched.
      expect(bodyOf(await call('GET', `/api/expenses/${expense.id}`))).to.deep.equal(expense);
      expect(bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-11' } })).items).to.have.length(2);
      expect(bodyOf(await call('GET', '/api/budget')).alertEmail).to.equal('a@example.com');
    });

    it('does not let a user reach another item type through the id path', async () => {
      await call('PUT', '/api/budget', { body: { monthlyLimit: 10 } });
      for (const id of ['%23BUDGET', '%23MONTH%232026-11', '..%2Fbudget']) {
        expect((await call('GET', `/api/expenses/${id}`)).statusCode).to.equal(404);
        expect((await call('DELETE', `/api/expenses/${id}`)).statusCode).to.equal(404);
      }
      expect(bodyOf(await call('GET', '/api/budget')).monthlyLimit).to.equal(10);
    });
  });
});
