import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startLocalStack, type LocalStack } from '../../src/entrypoints/local/stack.js';

describe('local stack over HTTP (npm start)', function () {
  this.timeout(90_000);
  let dataDir: string;
  let clientDir: string;
  let stack: LocalStack | null = null;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'budget-data-'));
    clientDir = mkdtempSync(join(tmpdir(), 'budget-client-'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Budget test page</title>');
  });
  afterEach(async () => {
    await stack?.close();
    stack = null;
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(clientDir, { recursive: true, force: true });
  });

  const start = (storage: 'dynamodb' | 'memory') => startLocalStack({ port: 0, storage, dataDir, clientDir, log: () => {} });
  const json = (method: string, body?: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the API and the page on 127.0.0.1 with DynamoDB Local, and keeps the data across a restart', async () => {
    stack = await start('dynamodb');
    expect(stack.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${stack.url}/api/health`)).json()).to.deep.equal({ status: 'ok' });
    const page = await fetch(`${stack.url}/`);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(await page.text()).to.contain('Budget test page');

    expect((await fetch(`${stack.url}/api/budget`, json('PUT', { monthlyLimit: 100, thresholds: [50] }))).status).to.equal(200);
    const created = await fetch(`${stack.url}/api/expenses`, json('POST', { amount: 60.25, category: 'Food', date: '2026-11-02', description: 'groceries' }));
    expect(created.status).to.equal(201);
    const { expense, alerts } = await created.json() as { expense: { id: string }; alerts: { scope: string; threshold: number; delivery: string }[] };
    expect(alerts.map((a) => [a.scope, a.threshold, a.delivery])).to.deep.equal([['total', 50, 'sent']]);

    const oversized = await fetch(`${stack.url}/api/expenses`, json('POST', { amount: 1, category: 'Food', date: '2026-11-02', description: 'x'.repeat(40_000) }));
    expect(oversized.status).to.equal(413);
    expect((await fetch(`${stack.url}/api/expenses`, { method: 'POST', body: 'amount=1' })).status).to.equal(415);

    await stack.close();
    stack = await start('dynamodb');
    expect((await fetch(`${stack.url}/api/expenses/${expense.id}`)).status).to.equal(200);
    const summary = await (await fetch(`${stack.url}/api/summary?month=2026-11`)).json() as { total: number; budget: { percentUsed: number } };
    expect(summary.total).to.equal(60.25);
    expect(summary.budget.percentUsed).to.equal(60.3);
    const listed = await (await fetch(`${stack.url}/api/alerts?month=2026-11`)).json() as { items: unknown[] };
    expect(listed.items).to.have.length(1);
  });

  it('runs on in-memory storage when asked', async () => {
    stack = await start('memory');
    expect((await fetch(`${stack.url}/api/expenses`, json('POST', { amount: 1, category: 'Other', date: '2026-11-02' }))).status).to.equal(201);
    expect((await (await fetch(`${stack.url}/api/summary?month=2026-11`)).json() as { count: number }).count).to.equal(1);
  });

  it('does not serve files outside the client folder', async () => {
    stack = await start('memory');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json']) {
      const response = await fetch(`${stack.url}${path}`);
      expect(await response.text(), path).to.not.contain('"name"');
    }
  });
});
