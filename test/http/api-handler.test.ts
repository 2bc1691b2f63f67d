import { expect } from 'chai';
import sinon from 'sinon';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { DeleteExpense } from '../../src/application/use-cases/delete-expense.js';
import { DeliverAlerts } from '../../src/application/use-cases/deliver-alerts.js';
import { GetExpense } from '../../src/application/use-cases/get-expense.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { UpdateExpense } from '../../src/application/use-cases/update-expense.js';
import { apiDependencies } from '../../src/composition-root.js';
import { describeAlert } from '../../src/domain/alert.js';
import { apiEvent, bodyOf, rawEvent, type EventOptions } from '../support/api-events.js';
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

  async function expectError(response: Awaited<ReturnType<ApiHandler>>, status: number, code: string) {
    expect(response.statusCode, response.body).to.equal(status);
    const body = bodyOf(response);
    expect(body.error.code).to.equal(code);
    expect(body.error.message).to.be.a('string').and.not.equal('');
    return body.error;
  }

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
      expect(summary).to.deep.equal({ month: '2026-11', currency: 'USD', total: 0.3, count: 2, byCategory: { Food: 0.3 }, byDay: { 10: 0.3 }, budget: null, categories: {}, upcoming: { total: 0, items: [] } });
    });
  });

  describe('stages', () => {
    // Through the execute-api endpoint a named stage is the first path segment: "/prod/api/expenses".
    for (const stage of ['prod', 'api-v2']) {
      it(`routes every operation under the named stage "${stage}"`, async () => {
        const options = { stage };
        expect((await call('GET', '/api/health', { ...options, user: null })).statusCode).to.equal(200);
        const created = await call('POST', '/api/expenses', { ...options, body: lunch });
        expect(created.statusCode, created.body).to.equal(201);
        const { expense } = bodyOf(created);
        expect(bodyOf(await call('GET', `/api/expenses/${expense.id}`, options))).to.deep.equal(expense);
        expect((await call('PUT', `/api/expenses/${expense.id}`, { ...options, body: { ...lunch, amount: 13 } })).statusCode).to.equal(200);
        expect(bodyOf(await call('GET', '/api/expenses', { ...options, query: { month: '2026-11' } })).items).to.have.length(1);
        expect((await call('GET', '/api/summary', { ...options, query: { month: '2026-11' } })).statusCode).to.equal(200);
        expect((await call('PUT', '/api/budget', { ...options, body: { monthlyLimit: 100 } })).statusCode).to.equal(200);
        expect((await call('GET', '/api/alerts', { ...options, query: { month: '2026-11' } })).statusCode).to.equal(200);
        expect((await call('DELETE', `/api/expenses/${expense.id}`, options)).statusCode).to.equal(204);
      });
    }

    it('routes a named stage reached through a custom domain, which adds no stage segment', async () => {
      expect((await handler(rawEvent({ method: 'GET', path: '/api/health', stage: 'prod' }))).statusCode).to.equal(200);
    });

    it('answers 404 for a path that is not the stage followed by a route', async () => {
      const cases: [stage: string, rawPath: string][] = [
        ['$default', '/foo/api/expenses'], ['$default', '/prod/api/expenses'], ['$default', '/api/api/expenses'],
        ['prod', '/foo/api/expenses'], ['prod', '/prodx/api/expenses'], ['prod', '/prod'], ['prod', '/prod/prod/api/expenses'],
        ['api-v2', '/api-v2'], ['api-v2', '/api-v2/foo/api/expenses'], ['api-v2', '/api-v2/api-v2/api/expenses'],
      ];
      for (const [stage, path] of cases) {
        const response = await handler(rawEvent({ method: 'GET', path, stage, claims: { sub: 'user-a' }, query: { month: '2026-11' } }));
        expect(response.statusCode, `${stage} ${path}`).to.equal(404);
        expect(bodyOf(response).error.code).to.equal('ROUTE_NOT_FOUND');
      }
    });
  });

  describe('bad input writes nothing and says what is wrong', () => {

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
      ['a description with a NUL', { ...lunch, description: 'lunch\u0000' }],
      ['a description with a line feed inside', { ...lunch, description: 'lunch\nat noon' }],
      ['a description with a right-to-left override', { ...lunch, description: 'invoice \u202egnp.exe' }],
      ['a description with a zero-width space', { ...lunch, description: 'lu\u200bnch' }],
      ['a description starting with a byte order mark', { ...lunch, description: '\ufefflunch' }],
      ['a description over 200 characters in NFC', { ...lunch, description: 'e\u0301'.repeat(201) }],
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

    it('names the description when it holds a control, bidi or invisible character', async () => {
      const error = await expectError(await post({ ...lunch, description: 'a\u2066b' }), 400, 'VALIDATION_FAILED');
      expect(Object.keys(error.fields)).to.deep.equal(['description']);
      expect(error.fields.description).to.contain('control');
    });

    it('stores a description in NFC, counting the 200 characters after normalisation', async () => {
      const decomposed = await post({ ...lunch, description: ` ${'e\u0301'.repeat(200)} ` });
      expect(decomposed.statusCode, decomposed.body).to.equal(201);
      expect(bodyOf(decomposed).expense.description).to.equal('\u00e9'.repeat(200));
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
      expect(bodyOf(await call('GET', '/api/budget'))).to.deep.equal({ currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC', rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false });
    });

    it('refuses carry-over of a limit not set, a forecast threshold not among the thresholds and a report without an address, naming each, and writes nothing', async () => {
      const refused = await call('PUT', '/api/budget', { body: {
        monthlyLimit: null, categoryLimits: { Food: 100 }, thresholds: [80, 100], alertEmail: null,
        rollover: { monthlyLimit: true, categoryLimits: { Travel: true, Food: 'yes' }, weekly: true }, forecastThresholds: [90], monthlyReport: true,
      } });
      const error = await expectError(refused, 400, 'VALIDATION_FAILED');
      expect(error.fields).to.deep.equal({
        'rollover.monthlyLimit': 'has no limit to carry over; set the limit too',
        'rollover.categoryLimits.Travel': 'has no limit to carry over; set the limit too',
        'rollover.categoryLimits.Food': 'must be true or false',
        'rollover.weekly': 'is not an allowed field (monthlyLimit, categoryLimits)',
        forecastThresholds: 'must each be one of thresholds (80, 100); 90 is not',
        monthlyReport: 'needs alertEmail: the report is emailed there',
      });
      expect(bodyOf(await call('GET', '/api/budget')).categoryLimits).to.deep.equal({});
    });

    it('replaces the whole budget, sorting thresholds', async () => {
      const set = await call('PUT', '/api/budget', { body: {
        currency: 'EUR', monthlyLimit: 2000.5, categoryLimits: { Food: 400, Travel: 0.01 }, thresholds: [100, 50, 80], alertEmail: 'me@example.com', timeZone: 'Europe/Berlin',
        rollover: { monthlyLimit: false, categoryLimits: { Food: true, Travel: false } }, forecastThresholds: [100, 80], monthlyReport: true,
      } });
      expect(set.statusCode).to.equal(200);
      const expected = {
        currency: 'EUR', monthlyLimit: 2000.5, categoryLimits: { Food: 400, Travel: 0.01 }, thresholds: [50, 80, 100], alertEmail: 'me@example.com', timeZone: 'Europe/Berlin',
        rollover: { monthlyLimit: false, categoryLimits: { Food: true } }, forecastThresholds: [80, 100], monthlyReport: true,
      };
      expect(bodyOf(set)).to.deep.equal(expected);
      expect(bodyOf(await call('GET', '/api/budget'))).to.deep.equal(expected);
      // Fields left out take their defaults: PUT replaces, it does not merge.
      expect(bodyOf(await call('PUT', '/api/budget', { body: { monthlyLimit: 10 } }))).to.deep.equal({ currency: 'USD', monthlyLimit: 10, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC', rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false });
    });

    it('names every invalid budget field and keeps the old budget', async () => {
      await call('PUT', '/api/budget', { body: { monthlyLimit: 100 } });
      const response = await call('PUT', '/api/budget', { body: { currency: 'usd', monthlyLimit: 1_000_000_000.01, categoryLimits: { Cars: 5, Food: -1 }, thresholds: [80, 80], alertEmail: 'not-an-email' } });
      expect(response.statusCode).to.equal(400);
      expect(Object.keys(bodyOf(response).error.fields).sort()).to.deep.equal(['alertEmail', 'categoryLimits.Cars', 'categoryLimits.Food', 'currency', 'monthlyLimit', 'thresholds']);
      expect(bodyOf(await call('GET', '/api/budget')).monthlyLimit).to.equal(100);
    });

    it('takes an IANA time zone in its canonical spelling and rejects offsets and unknown names, naming the field', async () => {
      for (const [sent, stored] of [['utc', 'UTC'], ['US/Pacific', 'America/Los_Angeles'], ['Asia/Tokyo', 'Asia/Tokyo']] as const) {
        expect(bodyOf(await call('PUT', '/api/budget', { body: { timeZone: sent } })).timeZone).to.equal(stored);
      }
      for (const timeZone of ['+01:00', 'GMT+1:00', 'Mars/Olympus_Mons', '', 'Europe/Berlin\u0000', 42, null, 'A'.repeat(65)]) {
        const response = await call('PUT', '/api/budget', { body: { monthlyLimit: 1, timeZone } });
        expect(response.statusCode, JSON.stringify(timeZone)).to.equal(400);
        expect(Object.keys(bodyOf(response).error.fields)).to.deep.equal(['timeZone']);
      }
      expect(bodyOf(await call('GET', '/api/budget'))).to.include({ timeZone: 'Asia/Tokyo', monthlyLimit: null });
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
      await call('PUT', '/api/budget', { body: { monthlyLimit: 100, categoryLimits: { Food: 50 }, thresholds: [80, 100], alertEmail: 'me@example.com' } });
    });

    it('records alerts as not emailed while no address is set', async () => {
      await call('PUT', '/api/budget', { body: { monthlyLimit: 100, thresholds: [80], alertEmail: null } });
      const { alerts } = bodyOf(await post({ ...lunch, amount: 90 }));
      expect(alerts.map((a: { delivery: string }) => a.delivery)).to.deep.equal(['no_email']);
      expect(app.notifier.published).to.deep.equal([]);
    });

    it('returns the alerts a write raised and lists the month\'s alerts oldest first', async () => {
      const first = bodyOf(await post({ ...lunch, amount: 40 }));
      expect(first.alerts).to.deep.equal([{ id: '2026-11_Food_80', kind: 'actual', month: '2026-11', scope: 'Food', scopeName: 'Food', threshold: 80, spent: 40, forecast: null, limit: 50, createdAt: '2026-11-15T10:00:00.000Z', delivery: 'sent' }]);
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

  describe('currencies with 0, 2 and 3 decimals', () => {
    const setCurrency = (currency: string, limits: Record<string, unknown> = {}) =>
      call('PUT', '/api/budget', { body: { currency, alertEmail: 'me@example.com', thresholds: [80], ...limits } });

    it('takes yen without decimals: 1200 is 1200, 1.5 is refused and nothing is written', async () => {
      expect((await setCurrency('JPY', { monthlyLimit: 1500 })).statusCode).to.equal(200);
      const created = bodyOf(await post({ ...lunch, amount: 1200 }));
      expect(created.expense.amount).to.equal(1200);
      expect(created.alerts).to.deep.include.members([{ ...created.alerts[0], spent: 1200, limit: 1500 }]);
      const refused = await expectError(await post({ ...lunch, amount: 1.5 }), 400, 'VALIDATION_FAILED');
      expect(refused.fields).to.deep.equal({ amount: 'must be a number greater than 0 and at most 10,000,000,000, with no decimal places (JPY)' });
      const summary = bodyOf(await call('GET', '/api/summary', { query: { month: '2026-11' } }));
      expect(summary).to.deep.include({ currency: 'JPY', total: 1200, count: 1 });
      expect(summary.budget).to.deep.equal({ limit: 1500, baseLimit: 1500, carry: 0, spent: 1200, remaining: 300, percentUsed: 80, forecast: 2400 });
      expect(bodyOf(await call('GET', `/api/expenses/${created.expense.id}`)).amount).to.equal(1200);
      const [published] = app.notifier.published;
      expect(describeAlert(published!.alert, published!.currency).body).to.contain('Spent: ¥1,200').and.contain('Limit: ¥1,500');
      await expectError(await setCurrency('JPY', { monthlyLimit: 10.5 }), 400, 'VALIDATION_FAILED');
    });

    it('keeps the third decimal of dinars in input, totals, summary, alerts and email', async () => {
      expect((await setCurrency('KWD', { categoryLimits: { Food: 2.5 } })).statusCode).to.equal(200);
      await post({ ...lunch, amount: 1.234 });
      const second = bodyOf(await post({ ...lunch, amount: 0.766 }));
      expect(second.alerts.map((a: { spent: number; limit: number }) => [a.spent, a.limit])).to.deep.equal([[2, 2.5]]);
      const summary = bodyOf(await call('GET', '/api/summary', { query: { month: '2026-11' } }));
      expect(summary).to.deep.include({ currency: 'KWD', total: 2, byCategory: { Food: 2 } });
      expect(summary.categories.Food).to.deep.equal({ limit: 2.5, baseLimit: 2.5, carry: 0, spent: 2, remaining: 0.5, percentUsed: 80, forecast: 4 });
      const listed = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11' } })).items;
      expect(listed.map((e: { amount: number }) => e.amount).sort()).to.deep.equal([0.766, 1.234]);
      expect(bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-11' } })).items[0]).to.include({ spent: 2, limit: 2.5 });
      const [published] = app.notifier.published;
      expect(describeAlert(published!.alert, published!.currency).body).to.contain('Spent: KWD 2.000').and.contain('Limit: KWD 2.500');
      const refused = await expectError(await post({ ...lunch, amount: 1.2345 }), 400, 'VALIDATION_FAILED');
      expect(refused.fields.amount).to.contain('at most 3 decimal places (KWD)');
      expect(await storedCount()).to.equal(2);
    });

    it('keeps two decimals for dollars and euros, up to 1,000,000 per expense and 1,000,000,000 per limit', async () => {
      expect((await setCurrency('EUR', { monthlyLimit: 1_000_000_000 })).statusCode).to.equal(200);
      expect((await post({ ...lunch, amount: 1_000_000 })).statusCode).to.equal(201);
      await expectError(await post({ ...lunch, amount: 1_000_000.01 }), 400, 'VALIDATION_FAILED');
      await expectError(await post({ ...lunch, amount: 1.005 }), 400, 'VALIDATION_FAILED');
      expect((await call('PUT', '/api/budget', { body: { currency: 'EUR', monthlyLimit: 1_000_000_000.01 } })).statusCode).to.equal(400);
    });

    it('rejects a currency the runtime does not know, naming the field', async () => {
      for (const currency of ['usd', 'ABC', 'EURO', 5]) {
        expect((await expectError(await setCurrency(currency as string), 400, 'VALIDATION_FAILED')).fields).to.have.property('currency');
      }
    });

    it('records an original amount in another currency with that currency\'s decimals, shown but never counted', async () => {
      await setCurrency('EUR', { monthlyLimit: 100 });
      const created = bodyOf(await post({ ...lunch, amount: 8.4, original: { amount: 1350, currency: 'JPY' } }));
      expect(created.expense).to.deep.include({ amount: 8.4, original: { amount: 1350, currency: 'JPY' } });
      expect(bodyOf(await call('GET', `/api/expenses/${created.expense.id}`)).original).to.deep.equal({ amount: 1350, currency: 'JPY' });
      const kwd = bodyOf(await call('PUT', `/api/expenses/${created.expense.id}`, { body: { ...lunch, amount: 8.4, original: { amount: 2.755, currency: 'KWD' } } }));
      expect(kwd.expense.original).to.deep.equal({ amount: 2.755, currency: 'KWD' });
      expect(bodyOf(await call('GET', '/api/summary', { query: { month: '2026-11' } })).total).to.equal(8.4);
      // Left out of a PUT, it is removed like any other optional field.
      const plain = bodyOf(await call('PUT', `/api/expenses/${created.expense.id}`, { body: lunch }));
      expect(plain.expense).to.not.have.property('original');
    });

    it('refuses a bad original amount with a 400 naming each field, writing nothing', async () => {
      await setCurrency('EUR');
      const cases: [unknown, string[]][] = [
        [{ amount: 1.5, currency: 'JPY' }, ['original.amount']],
        [{ amount: 10, currency: 'EUR' }, ['original.currency']],
        [{ amount: 10, currency: 'XYZ' }, ['original.currency']],
        [{ amount: -1, currency: 'USD' }, ['original.amount']],
        [{ amount: 10, currency: 'USD', rate: 1.1 }, ['original.rate']],
        [{ amount: 10 }, ['original.currency']],
        [null, ['original']],
        [[10, 'USD'], ['original']],
        ['10 USD', ['original']],
      ];
      for (const [original, fields] of cases) {
        const error = await expectError(await post({ ...lunch, original }), 400, 'VALIDATION_FAILED');
        expect(Object.keys(error.fields), JSON.stringify(original)).to.deep.equal(fields);
      }
      expect(await storedCount()).to.equal(0);
    });
  });

  describe('alert address', () => {
    const setEmail = (alertEmail: string | null, user = 'user-a') => call('PUT', '/api/budget', { user, body: { alertEmail } });

    it('answers 409 naming the field when another account already uses the address, and saves nothing', async () => {
      expect((await setEmail('family@example.com', 'user-b')).statusCode).to.equal(200);
      const response = await setEmail('family@example.com');
      expect(response.statusCode).to.equal(409);
      expect(bodyOf(response).error).to.include({ code: 'ALERT_EMAIL_TAKEN' });
      expect(bodyOf(response).error.message).to.contain('family+');
      expect(bodyOf(response).error.fields).to.have.property('alertEmail');
      expect(bodyOf(await call('GET', '/api/budget')).alertEmail).to.equal(null);
    });

    it('answers 429 with Retry-After once a day\'s address changes are used up', async () => {
      for (let i = 0; i < 5; i++) expect((await setEmail(`me${i}@example.com`)).statusCode).to.equal(200);
      const response = await setEmail('me5@example.com');
      expect(response.statusCode).to.equal(429);
      expect(bodyOf(response).error.code).to.equal('RATE_LIMITED');
      expect(Number(response.headers['retry-after'])).to.equal(24 * 3600);
      expect(bodyOf(await call('GET', '/api/budget')).alertEmail).to.equal('me4@example.com');
      // Clearing sends no email and stays possible.
      expect((await setEmail(null)).statusCode).to.equal(200);
    });

    it('sends the confirmation again on POST /api/budget/alert-email/confirmation', async () => {
      expect((await call('POST', '/api/budget/alert-email/confirmation')).statusCode).to.equal(400);
      await setEmail('me@example.com');
      const response = await call('POST', '/api/budget/alert-email/confirmation');
      expect(response.statusCode).to.equal(202);
      expect(bodyOf(response)).to.deep.equal({ alertEmail: 'me@example.com' });
      expect(app.notifier.confirmationsSent.get('me@example.com')).to.equal(2);
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

    it('answers 404 NOT_FOUND for an id the API cannot have issued, before any use case runs', async () => {
      const useCases = [app.get(GetExpense), app.get(UpdateExpense), app.get(DeleteExpense)].map((useCase) => sinon.spy(useCase, 'execute'));
      const ids = ['x'.repeat(65), 'x'.repeat(1025), '%23BUDGET', `%23${'0'.repeat(36)}`, 'a.b', 'a~b', 'a%20b', 'a%2Fb', '%C3%A9', '%F0%9F%98%80', '%00', '%E0%A4%A'];
      for (const id of ids) {
        for (const [method, options] of [['GET', {}], ['PUT', { body: lunch }], ['DELETE', {}]] as const) {
          const response = await call(method, `/api/expenses/${id}`, options);
          expect(response.statusCode, `${method} ${id}`).to.equal(404);
          expect(bodyOf(response).error).to.deep.equal({ code: 'NOT_FOUND', message: 'No such expense' });
        }
      }
      expect(useCases.map((spy) => spy.callCount)).to.deep.equal([0, 0, 0]);
      // The longest id of the allowed characters is looked up, and simply not found.
      expect((await call('GET', `/api/expenses/${'a-_Z9'.repeat(12)}abcd`)).statusCode).to.equal(404);
      expect(useCases[0]!.callCount).to.equal(1);
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
