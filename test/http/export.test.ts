import { parse } from 'csv-parse/sync';
import { expect } from 'chai';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { EXPORT_COLUMNS, exportCsv } from '../../src/adapters/csv/csv-export.js';
import { EXPORT_PAGE_SIZE } from '../../src/application/use-cases/export-expenses.js';
import { apiDependencies } from '../../src/composition-root.js';
import type { Expense } from '../../src/domain/expense.js';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES } from '../support/fixtures.js';

/** Lambda's limit on a synchronous response (6 MB). */
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

describe('CSV export through the API (in-memory adapters)', () => {
  let app: TestApp;
  let handler: ApiHandler;
  const call = (method: string, path: string, options?: EventOptions) => handler(apiEvent(method, path, options));
  const add = (body: Record<string, unknown>) => call('POST', '/api/expenses', { body });
  const rowsOf = (csv: string) => parse(csv, { columns: true, bom: false }) as Record<string, string>[];

  beforeEach(() => {
    app = testApp({ writeRateLimit: BULK_WRITES });
    handler = createApiHandler(apiDependencies(app.container, []));
  });

  it('answers an RFC 4180 attachment with the documented header, oldest first, names and exact amounts', async () => {
    const pets = bodyOf(await call('POST', '/api/categories', { body: { name: 'Pets' } }));
    await add({ amount: 12.5, category: 'Food', date: '2026-11-10', description: 'lunch, with "friends"' });
    await add({ amount: 0.1, category: pets.id, date: '2026-10-02', original: { amount: 15, currency: 'JPY' } });
    await add({ amount: 99, category: 'Travel', date: '2026-12-01' });
    const response = await call('GET', '/api/export', { query: { from: '2026-10', to: '2026-11' } });
    expect(response.statusCode).to.equal(200);
    expect(response.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).to.equal('attachment; filename="expenses-2026-10-2026-11.csv"');
    expect(response.headers.link).to.equal(undefined);
    const csv = response.body!;
    expect(csv.split('\r\n')[0]).to.equal('date,amount,currency,category,description,original_amount,original_currency,id,created_at,updated_at');
    expect(csv).to.contain('"lunch, with ""friends"""');
    const rows = rowsOf(csv);
    expect(rows.map((r) => [r.date, r.amount, r.currency, r.category, r.description, r.original_amount, r.original_currency]))
      .to.deep.equal([['2026-10-02', '0.10', 'USD', 'Pets', '', '15', 'JPY'], ['2026-11-10', '12.50', 'USD', 'Food', 'lunch, with "friends"', '', '']]);
  });

  it('writes amounts with the currency\'s own decimals', async () => {
    await call('PUT', '/api/budget', { body: { currency: 'KWD' } });
    await add({ amount: 1.25, category: 'Food', date: '2026-11-10' });
    expect(rowsOf((await call('GET', '/api/export', { query: { from: '2026-11', to: '2026-11' } })).body!)[0]!.amount).to.equal('1.250');
  });

  it('neutralises spreadsheet formulas in text cells (OWASP) and every field round-trips through the same library', async () => {
    const dangerous = ['=1+2', '+SUM(A1)', '-2+3', '@cmd', 'safe text', 'Ünïcode ✓'];
    for (const [i, description] of dangerous.entries()) {
      await add({ amount: i + 1, category: 'Food', date: `2026-11-${String(i + 1).padStart(2, '0')}`, description });
    }
    const category = bodyOf(await call('POST', '/api/categories', { body: { name: '=HYPERLINK("x")' } }));
    await add({ amount: 7, category: category.id, date: '2026-11-20' });
    const rows = rowsOf((await call('GET', '/api/export', { query: { from: '2026-11', to: '2026-11' } })).body!);
    expect(rows.slice(0, 6).map((r) => r.description)).to.deep.equal(["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", 'safe text', 'Ünïcode ✓']);
    expect(rows[6]!.category).to.equal('\'=HYPERLINK("x")');
    const stored = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11', limit: '100' } })).items as { id: string; createdAt: string; updatedAt: string }[];
    for (const row of rows) {
      const match = stored.find((e) => e.id === row.id)!;
      expect([row.created_at, row.updated_at]).to.deep.equal([match.createdAt, match.updatedAt]);
    }
    expect(Object.keys(rows[0]!)).to.deep.equal(EXPORT_COLUMNS);
  });

  it('pages a large export: the first page has the header, a Link header names the next, the pages concatenate into one file', async () => {
    const count = EXPORT_PAGE_SIZE + 5;
    for (let i = 0; i < count; i++) await add({ amount: 1, category: 'Food', date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-15` });
    const first = await call('GET', '/api/export', { query: { from: '2026-01', to: '2026-12' } });
    const next = /^<\?(.+)>; rel="next"$/.exec(first.headers.link ?? '');
    expect(next, first.headers.link).to.not.equal(null);
    const query = Object.fromEntries(new URLSearchParams(next![1]!));
    expect(query).to.include({ from: '2026-01', to: '2026-12' });
    const second = await call('GET', '/api/export', { query });
    expect(second.headers.link).to.equal(undefined);
    expect(second.body!.startsWith('date,')).to.equal(false);
    const rows = rowsOf(first.body! + second.body!);
    expect(rows).to.have.length(count);
    expect(new Set(rows.map((r) => r.id)).size).to.equal(count);
    expect(rows.map((r) => r.date)).to.deep.equal([...rows.map((r) => r.date)].sort());
  });

  it('keeps a page of the largest possible rows far below Lambda\'s 6 MB response limit', () => {
    // 200 four-byte characters of description and a 40-character name of them: the most a row can hold.
    const widest = '𝄞'.repeat(200);
    const expenses: Expense[] = Array.from({ length: EXPORT_PAGE_SIZE }, (_, i) => ({
      id: crypto.randomUUID(), amount: 100_000_000, category: 'c', date: '2026-11-30', description: widest,
      original: { amount: 10_000_000_000, currency: 'JPY' }, createdAt: '2026-11-30T23:59:59.999Z', updatedAt: `2026-11-30T23:59:59.${String(i % 1000).padStart(3, '0')}Z`,
    }));
    const bytes = Buffer.byteLength(exportCsv({ expenses, nextCursor: null, currency: 'USD', categoryNames: new Map([['c', '𝄞'.repeat(40)]]) }, true));
    expect(bytes).to.be.below(LAMBDA_RESPONSE_LIMIT / 2);
  });

  it('refuses a bad range with a 400 naming the field, and at most ten years', async () => {
    for (const [query, field] of [
      [{ to: '2026-11' }, 'from'], [{ from: '2026-13', to: '2026-11' }, 'from'], [{ from: '2026-11' }, 'to'],
      [{ from: '2026-11', to: '2026-10' }, 'to'], [{ from: '2016-11', to: '2026-11' }, 'to'], [{ from: '2026-11', to: '2026-11', cursor: 'nope' }, 'cursor'],
    ] as [Record<string, string>, string][]) {
      const response = await call('GET', '/api/export', { query });
      expect(response.statusCode, JSON.stringify(query)).to.equal(400);
      expect(bodyOf(response).error.fields, JSON.stringify(query)).to.have.property(field);
    }
    expect((await call('GET', '/api/export', { query: { from: '2016-12', to: '2026-11' } })).statusCode).to.equal(200);
  });

  it('exports only the caller\'s own expenses', async () => {
    await add({ amount: 5, category: 'Food', date: '2026-11-10', description: 'mine' });
    const other = await call('GET', '/api/export', { user: 'someone-else', query: { from: '2026-11', to: '2026-11' } });
    expect(rowsOf(other.body!)).to.deep.equal([]);
  });
});
