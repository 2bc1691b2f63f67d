import { expect } from 'chai';
import type { ApiHandler } from '../../src/adapters/http/api-handler.js';
import { testApp, type TestApp } from '../support/app.js';
import { dynamoApp, handlerOf, MONTHS, parsed, request } from './support.js';

/*
 * Two users on one store. The second user tries every route against the first user's data:
 * by the first user's ids (raw, re-cased, padded, percent-encoded), with ids that name other
 * item types in the DynamoDB single-table design, with the first user's cursor and
 * Idempotency-Key, and with look-alike subjects. Nothing of the first user's is visible or
 * changes; every attempt on an expense of theirs is a 404.
 */

const ALICE = 'alice-sub-0001';
const MALLORY = 'mallory-sub-0002';
const LOOKALIKES = ['ALICE-SUB-0001', 'alice-sub-0001 ', ' alice-sub-0001', 'alice-sub-000', 'alice-sub-0001\u0000', 'alice-sub-0001#', 'alice'];

function isolationSuite(name: string, start: () => Promise<{ app: TestApp; close(): Promise<void> }>) {
  describe(`reliability: isolation between users (${name})`, function () {
    this.timeout(30_000);
    let system: { app: TestApp; close(): Promise<void> };
    let handler: ApiHandler;
    let ids: string[];
    let cursor: string;
    let attempts = 0;

    /** Everything Alice can see through the API. */
    async function aliceView(): Promise<unknown> {
      const view: Record<string, unknown> = { budget: parsed(await handler(request('GET', '/api/budget', ALICE))) };
      for (const month of MONTHS) {
        view[month] = {
          summary: parsed(await handler(request('GET', '/api/summary', ALICE, { query: { month } }))),
          list: parsed(await handler(request('GET', '/api/expenses', ALICE, { query: { month, limit: '100' } }))),
          alerts: parsed(await handler(request('GET', '/api/alerts', ALICE, { query: { month } }))),
        };
      }
      for (const id of ids) view[id] = parsed(await handler(request('GET', `/api/expenses/${id}`, ALICE)));
      return view;
    }

    before(async () => {
      system = await start();
      handler = handlerOf(system.app);
      expect((await handler(request('PUT', '/api/budget', ALICE, { body: { currency: 'EUR', monthlyLimit: 100, categoryLimits: { Food: 50 }, thresholds: [50, 100], alertEmail: 'alice@example.com' } }))).statusCode).to.equal(200);
      ids = [];
      for (const [amount, date, key] of [[60, '2026-11-03', 'alice-key-1'], [30, '2026-11-04', 'alice-key-2'], [15, '2026-10-20', 'alice-key-3']] as const) {
        const response = await handler(request('POST', '/api/expenses', ALICE, { body: { amount, category: 'Food', date, description: 'private' }, headers: { 'idempotency-key': key } }));
        expect(response.statusCode, response.body).to.equal(201);
        ids.push(parsed(response).expense.id);
      }
      const page = parsed(await handler(request('GET', '/api/expenses', ALICE, { query: { month: '2026-11', limit: '1' } })));
      cursor = page.nextCursor;
      expect(cursor).to.be.a('string');
      expect(parsed(await handler(request('GET', '/api/alerts', ALICE, { query: { month: '2026-11' } }))).items).to.have.length(3); // total 50 %, Food 50 % and 100 %
    });
    after(async () => {
      console.log(`      [${name}] ${attempts} cross-user requests`);
      await system?.close();
    });

    it('a second user cannot read, update or delete the first user\'s expenses by any spelling of their ids (404), and nothing changes', async () => {
      const before = await aliceView();
      const variants = ids.flatMap((id) => [id, id.toUpperCase(), ` ${id}`, `${id} `, encodeURIComponent(id).replace(/-/g, '%2D'), `${id}%00`, `${ALICE}%23${id}`]);
      for (const user of [MALLORY, ...LOOKALIKES]) {
        for (const id of variants) {
          for (const [method, body] of [['GET', undefined], ['PUT', { amount: 1, category: 'Other', date: '2026-11-01' }], ['DELETE', undefined]] as const) {
            const response = await handler(request(method, `/api/expenses/${id}`, user, body ? { body } : {}));
            attempts += 1;
            expect(response.statusCode, `${method} ${id} as ${JSON.stringify(user)}: ${response.body}`).to.equal(404);
            expect(parsed(response).error.code).to.equal('NOT_FOUND');
          }
        }
      }
      expect(await aliceView()).to.deep.equal(before);
    });

    it('ids naming other item types of the table (#BUDGET, #MONTH#..., #ALERT#..., #IDEMPOTENCY#...) are 404 for everyone', async () => {
      const before = await aliceView();
      const internal = ['#BUDGET', '#MONTH#2026-11', '#ALERT#2026-11#total#50', '#ALERT#2026-11#Food#100', '#IDEMPOTENCY#alice-key-1', '#', '##'];
      for (const user of [MALLORY, ALICE]) {
        for (const key of internal) {
          for (const [method, body] of [['GET', undefined], ['PUT', { amount: 1, category: 'Other', date: '2026-11-01' }], ['DELETE', undefined]] as const) {
            const response = await handler(request(method, `/api/expenses/${encodeURIComponent(key)}`, user, body ? { body } : {}));
            attempts += 1;
            expect(response.statusCode, `${method} ${key} as ${user}: ${response.body}`).to.equal(404);
          }
        }
      }
      expect(await aliceView()).to.deep.equal(before);
    });

    it('a second user can neither see nor change the first user\'s categories, nor export their expenses, also with their export cursor', async () => {
      const pets = parsed(await handler(request('POST', '/api/categories', ALICE, { body: { name: 'Private pets' } })));
      const aliceCategories = parsed(await handler(request('GET', '/api/categories', ALICE)));
      const aliceExport = await handler(request('GET', '/api/export', ALICE, { query: { from: '2026-10', to: '2026-11' } }));
      expect(aliceExport.body).to.contain('private');
      for (const user of [MALLORY, ...LOOKALIKES]) {
        const categories = parsed(await handler(request('GET', '/api/categories', user))).items as { name: string }[];
        expect(categories.map((c) => c.name)).to.not.include('Private pets');
        for (const [method, path, body] of [
          ['PATCH', `/api/categories/${pets.id}`, { name: 'Taken over' }], ['DELETE', `/api/categories/${pets.id}`, undefined], ['GET', `/api/categories/${pets.id}/usage`, undefined],
        ] as [string, string, unknown][]) {
          const response = await handler(request(method, path, user, body === undefined ? {} : { body }));
          attempts += 1;
          expect(response.statusCode, `${method} ${path}`).to.equal(404);
        }
        const exported = await handler(request('GET', '/api/export', user, { query: { from: '2026-10', to: '2026-11' } }));
        attempts += 1;
        expect(exported.body).to.not.contain('private');
        // Alice's expenses never reach another user, whatever cursor they send.
        const aliceCursor = Buffer.from(`2026-11-03#2026-11-15T10:00:00.000Z#${ids[0]}`, 'utf8').toString('base64url');
        const withCursor = await handler(request('GET', '/api/export', user, { query: { from: '2026-10', to: '2026-11', cursor: aliceCursor } }));
        attempts += 1;
        if (withCursor.statusCode === 200) expect(withCursor.body).to.not.contain('private');
        else expect(withCursor.statusCode).to.equal(400);
      }
      expect(parsed(await handler(request('GET', '/api/categories', ALICE)))).to.deep.equal(aliceCategories);
      await handler(request('DELETE', `/api/categories/${pets.id}`, ALICE));
    });

    it('a second user can neither see, preview, commit nor undo the first user\'s import; the same file imports into their own account in full', async () => {
      const csv = 'date,description,amount\n2026-12-01,private import,7.00\n2026-12-02,private import,8.00\n';
      const upload = (user: string) => handler(request('POST', '/api/imports', user, { body: csv, headers: { 'content-type': 'text/csv' } }));
      const draft = parsed(await upload(ALICE));
      expect(parsed(await handler(request('POST', `/api/imports/${draft.id}/commit`, ALICE, { body: draft.suggested }))).imported).to.equal(2);
      const before = await aliceView();
      const aliceImports = parsed(await handler(request('GET', '/api/imports', ALICE)));
      for (const user of [MALLORY, ...LOOKALIKES]) {
        expect(parsed(await handler(request('GET', '/api/imports', user))).items.map((i: { id: string }) => i.id)).to.not.include(draft.id);
        for (const [method, path, body] of [
          ['GET', `/api/imports/${draft.id}`, undefined], ['DELETE', `/api/imports/${draft.id}`, undefined],
          ['POST', `/api/imports/${draft.id}/preview`, draft.suggested], ['POST', `/api/imports/${draft.id}/commit`, draft.suggested],
        ] as [string, string, unknown][]) {
          const response = await handler(request(method, path, user, body === undefined ? {} : { body }));
          attempts += 1;
          expect(response.statusCode, `${method} ${path} as ${JSON.stringify(user)}`).to.equal(404);
        }
      }
      // Fingerprints are per user: the same rows are new to Mallory, and land in her account only.
      const mine = parsed(await upload(MALLORY));
      attempts += 1;
      const shown = parsed(await handler(request('POST', `/api/imports/${mine.id}/preview`, MALLORY, { body: mine.suggested })));
      expect(shown.counts).to.include({ ok: 2, recorded: 0, duplicate: 0 });
      expect(parsed(await handler(request('POST', `/api/imports/${mine.id}/commit`, MALLORY, { body: mine.suggested }))).imported).to.equal(2);
      expect(parsed(await handler(request('DELETE', `/api/imports/${mine.id}`, MALLORY)))).to.deep.equal({ removed: 2 });
      expect(await aliceView(), 'Alice unchanged').to.deep.equal(before);
      expect(parsed(await handler(request('GET', '/api/imports', ALICE)))).to.deep.equal(aliceImports);
      expect(parsed(await handler(request('DELETE', `/api/imports/${draft.id}`, ALICE)))).to.deep.equal({ removed: 2 });
    });

    it('a second user can neither see, change, skip nor delete the first user\'s recurring expenses', async () => {
      const created = await handler(request('POST', '/api/recurring', ALICE, { body: { amount: 5, category: 'Food', description: 'private bill', schedule: { frequency: 'monthly', startDate: '2027-01-10' } } }));
      expect(created.statusCode, created.body).to.equal(201);
      const bill = parsed(created);
      const before = await aliceView();
      const aliceBills = parsed(await handler(request('GET', '/api/recurring', ALICE)));
      for (const user of [MALLORY, ...LOOKALIKES]) {
        expect(parsed(await handler(request('GET', '/api/recurring', user))).items).to.deep.equal([]);
        for (const [method, path, body] of [
          ['GET', `/api/recurring/${bill.id}`, undefined], ['PUT', `/api/recurring/${bill.id}`, { amount: 1, category: 'Other', schedule: { frequency: 'daily', startDate: '2026-01-01' } }],
          ['DELETE', `/api/recurring/${bill.id}`, undefined], ['POST', `/api/recurring/${bill.id}/skip`, undefined],
        ] as [string, string, unknown][]) {
          const response = await handler(request(method, path, user, body === undefined ? {} : { body }));
          attempts += 1;
          expect(response.statusCode, `${method} ${path} as ${JSON.stringify(user)}`).to.equal(404);
        }
      }
      expect(parsed(await handler(request('GET', '/api/recurring', ALICE)))).to.deep.equal(aliceBills);
      expect(await aliceView(), 'Alice unchanged').to.deep.equal(before);
      expect((await handler(request('DELETE', `/api/recurring/${bill.id}`, ALICE))).statusCode).to.equal(204);
    });

    it('a second user sees only their own (empty) listings, summaries, budget and alerts, also with the first user\'s cursor', async () => {
      for (const user of [MALLORY, ...LOOKALIKES]) {
        for (const month of MONTHS) {
          const list = await handler(request('GET', '/api/expenses', user, { query: { month } }));
          const summary = parsed(await handler(request('GET', '/api/summary', user, { query: { month } })));
          const alerts = parsed(await handler(request('GET', '/api/alerts', user, { query: { month } })));
          attempts += 3;
          expect(parsed(list)).to.deep.equal({ items: [], nextCursor: null });
          expect(summary).to.deep.include({ total: 0, count: 0, byCategory: {}, budget: null, currency: 'USD' });
          expect(alerts).to.deep.equal({ items: [] });
        }
        const withCursor = await handler(request('GET', '/api/expenses', user, { query: { month: '2026-11', cursor } }));
        attempts += 1;
        // Either refused or an empty page of the caller's own data: never Alice's expenses.
        if (withCursor.statusCode === 200) expect(parsed(withCursor).items).to.deep.equal([]);
        else expect(withCursor.statusCode).to.equal(400);
        expect(parsed(await handler(request('GET', '/api/budget', user)))).to.deep.equal({ currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC', rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false });
        const trends = parsed(await handler(request('GET', '/api/trends', user, { query: { to: '2026-12' } })));
        expect(trends.months.every((m: { total: number; count: number }) => m.total === 0 && m.count === 0)).to.equal(true);
        attempts += 2;
      }
    });

    it('a second user\'s writes (same Idempotency-Key and body, a budget) stay theirs and never replay or touch the first user\'s', async () => {
      const before = await aliceView();
      const replay = await handler(request('POST', '/api/expenses', MALLORY, { body: { amount: 60, category: 'Food', date: '2026-11-03', description: 'private' }, headers: { 'idempotency-key': 'alice-key-1' } }));
      attempts += 1;
      expect(replay.statusCode, replay.body).to.equal(201);
      expect(ids, 'not Alice\'s expense replayed').to.not.include(parsed(replay).expense.id);
      expect(parsed(await handler(request('PUT', '/api/budget', MALLORY, { body: { monthlyLimit: 1, thresholds: [1] } }))).monthlyLimit).to.equal(1);
      attempts += 1;
      const malloryNovember = parsed(await handler(request('GET', '/api/expenses', MALLORY, { query: { month: '2026-11' } })));
      expect(malloryNovember.items.map((e: { id: string }) => e.id)).to.deep.equal([parsed(replay).expense.id]);
      expect(parsed(await handler(request('GET', '/api/alerts', MALLORY, { query: { month: '2026-11' } }))).items.map((a: { id: string }) => a.id)).to.deep.equal(['2026-11_total_1']);
      expect(await aliceView(), 'Alice unchanged').to.deep.equal(before);
    });
  });
}

isolationSuite('in memory', async () => ({ app: testApp(), close: async () => {} }));
isolationSuite('DynamoDB Local', async () => {
  const { app, close } = await dynamoApp();
  return { app, close };
});
