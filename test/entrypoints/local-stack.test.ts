import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startLocalStack, type LocalStack } from '../../src/entrypoints/local/stack.js';

/** A request naming `host` in its Host header, as a browser does for a page whose DNS now points at 127.0.0.1. */
function requestAs(host: string, url: string, method = 'GET', body?: unknown): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers: { host, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: text }));
    });
    sent.once('error', reject);
    sent.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

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

    expect((await fetch(`${stack.url}/api/budget`, json('PUT', { monthlyLimit: 100, thresholds: [50], alertEmail: 'me@example.com' }))).status).to.equal(200);
    const created = await fetch(`${stack.url}/api/expenses`, json('POST', { amount: 60.5, category: 'Food', date: '2026-11-02', description: 'groceries' }));
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
    expect(summary.total).to.equal(60.5);
    expect(summary.budget.percentUsed).to.equal(60.5);
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

  it('refuses requests addressed to another host name (DNS rebinding) and changes nothing', async () => {
    stack = await start('memory');
    const { port } = new URL(stack.url);
    const budget = { monthlyLimit: 100, thresholds: [50], alertEmail: 'me@example.com' };
    expect((await fetch(`${stack.url}/api/budget`, json('PUT', budget))).status).to.equal(200);

    for (const host of ['evil.example', `evil.example:${port}`]) {
      const attack = await requestAs(host, `${stack.url}/api/budget`, 'PUT', { ...budget, alertEmail: 'attacker@evil.example' });
      expect(attack.status, host).to.equal(421);
      expect(attack.contentType, host).to.match(/^application\/json/);
      expect(JSON.parse(attack.body).error, host).to.include({ code: 'MISDIRECTED_REQUEST' });
      const page = await requestAs(host, `${stack.url}/`);
      expect(page.status, host).to.equal(421);
      expect(page.body, host).to.not.contain('Budget test page');
    }

    const stored = await (await fetch(`${stack.url}/api/budget`)).json() as { alertEmail: string | null; monthlyLimit: number };
    expect(stored).to.include({ alertEmail: 'me@example.com', monthlyLimit: 100 });
  });

  it('answers requests addressed to 127.0.0.1 or localhost on its port', async () => {
    stack = await start('memory');
    const { port } = new URL(stack.url);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await requestAs(host, `${stack.url}/api/budget`, 'PUT', { monthlyLimit: 200, thresholds: [80] })).status, host).to.equal(200);
      expect(JSON.parse((await requestAs(host, `${stack.url}/api/health`)).body), host).to.deep.equal({ status: 'ok' });
      expect((await requestAs(host, `${stack.url}/`)).body, host).to.contain('Budget test page');
    }
  });
});
