/**
 * End-to-end, in Chromium: the page installs, opens with no network (Playwright's
 * `context.setOffline(true)`), shows its last data with its age, queues what is added offline, and
 * sends it once when the network returns. The steps share one page and build on each other.
 */
import { expect } from 'chai';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { requireChromium, startPageStack, type PageStack } from '../support/browser.js';

const pad = (n: number) => String(n).padStart(2, '0');
const now = new Date();
const month = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
const today = `${month}-${pad(now.getDate())}`;

interface ServerExpense { id: string; amount: number; description?: string; date: string }

describe('the page installs and works offline (e2e)', function () {
  this.timeout(120_000);
  let s: PageStack;

  before(async function () {
    requireChromium(this);
    s = await startPageStack();
  });

  after(async () => {
    await s?.close();
  });

  afterEach(() => {
    expect(s.pageErrors, 'uncaught errors in the page').to.deep.equal([]);
  });

  const page = () => s.page;
  /** What the server holds this month, read past the page (Playwright's own request context). */
  async function serverExpenses(): Promise<ServerExpense[]> {
    const response = await s.context.request.get(`${s.stack.url}/api/expenses?month=${month}&limit=100`);
    expect(response.status()).to.equal(200);
    return (await response.json()).items;
  }
  async function addWithForm(amount: string, description: string) {
    await page().fill('#add-date', today);
    await page().fill('#add-amount', amount);
    await page().selectOption('#add-category', 'Food');
    await page().fill('#add-description', description);
    await page().press('#add-amount', 'Enter');
    await page().locator('.expense-form .form-status.ok', { hasText: `$${Number(amount).toFixed(2)} for Food` }).waitFor();
  }
  const pendingRows = () => page().locator('.expense-list > li', { hasText: 'Not sent yet' });
  const controlled = () => page().evaluate(() => navigator.serviceWorker.controller !== null);

  it('is installable: a manifest with its icons and a service worker, and Chromium reports no installability error', async () => {
    const seeded = await s.context.request.post(`${s.stack.url}/api/expenses`, { data: { amount: 12.5, category: 'Food', date: today, description: 'seen online' } });
    expect(seeded.status()).to.equal(201);
    await page().goto(`${s.stack.url}/`);
    await page().locator('.expense-list > li', { hasText: 'seen online' }).waitFor();
    await page().evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // The first visit installs the worker; from the next load on, it serves the page.
    await page().reload();
    await page().locator('.expense-list > li', { hasText: 'seen online' }).waitFor();
    expect(await controlled()).to.equal(true);

    const cdp = await s.context.newCDPSession(page());
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors, 'manifest parse errors').to.deep.equal([]);
    expect(manifest.url).to.equal(`${s.stack.url}/manifest.webmanifest`);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors.map((e) => e.errorId)).to.deep.equal([]);
    const icons = JSON.parse(manifest.data!).icons as { src: string; sizes: string; purpose: string }[];
    for (const icon of icons) expect((await s.context.request.get(`${s.stack.url}${icon.src}`)).status(), icon.src).to.equal(200);
    expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).to.include.members(['192x192 any', '512x512 any', '512x512 maskable']);
    await cdp.detach();
  });

  it('opens with no network, showing the last data it saw and how old it is', async () => {
    await s.context.setOffline(true);
    await page().reload();
    await page().locator('[data-testid="offline-notice"]', { hasText: 'Offline.' }).waitFor();
    expect(await page().locator('[data-testid="offline-notice"]').textContent()).to.match(/Showing what the server sent .*ago|now/);
    await page().locator('.expense-list > li', { hasText: 'seen online' }).waitFor();
    expect(await page().locator('[data-testid="total-spent"]').textContent()).to.equal('$12.50');
  });

  it('keeps two expenses added offline (across a reload), and sends them once when the network returns', async () => {
    await addWithForm('3.50', 'coffee offline');
    await addWithForm('7.25', 'lunch offline');
    expect(await pendingRows().count()).to.equal(2);
    await page().locator('#pending-heading', { hasText: 'Not sent yet (2)' }).waitFor();
    expect(await serverExpenses()).to.have.length(1);

    // Still offline: a reload shows them again, from IndexedDB.
    await page().reload();
    await page().locator('#pending-heading', { hasText: 'Not sent yet (2)' }).waitFor();
    expect(await pendingRows().count()).to.equal(2);

    const posts: Request[] = [];
    page().on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/expenses')) posts.push(r); });
    await s.context.setOffline(false);
    await page().locator('[data-testid="pending-changes"]').waitFor({ state: 'detached' });
    await page().locator('[data-testid="offline-notice"]').waitFor({ state: 'detached' });
    const descriptions = (await serverExpenses()).map((e) => e.description).sort();
    expect(descriptions).to.deep.equal(['coffee offline', 'lunch offline', 'seen online']);
    await page().locator('[data-testid="total-spent"]', { hasText: '$23.25' }).waitFor();
    expect(await pendingRows().count()).to.equal(0);
    expect(new Set(posts.map((r) => r.headers()['idempotency-key'])).size, 'one key per add').to.equal(posts.length);
  });

  it('creates an add whose answer was lost only once: the retry carries the same Idempotency-Key', async () => {
    const keys: string[] = [];
    // The request reaches the server, but the page never hears back (the connection drops).
    await page().route('**/api/expenses', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      await route.fetch();
      await route.abort('connectionreset');
    });
    await addWithForm('2.00', 'answer lost');
    await pendingRows().first().waitFor();
    expect((await serverExpenses()).filter((e) => e.description === 'answer lost')).to.have.length(1);
    await page().unroute('**/api/expenses');
    page().on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/expenses')) keys.push(r.headers()['idempotency-key'] ?? ''); });
    // What the browser does when the connection is back (the page may also have retried by itself meanwhile).
    await page().evaluate(() => window.dispatchEvent(new Event('online')));
    await page().locator('[data-testid="pending-changes"]').waitFor({ state: 'detached' });
    // The first attempt, perhaps a retry the page made by itself while the answers were still lost, then the one that got through.
    expect(keys.length).to.be.at.least(2);
    expect(new Set(keys)).to.deep.equal(new Set([keys[0]]));
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect((await serverExpenses()).filter((e) => e.description === 'answer lost')).to.have.length(1);
  });

  it('keeps a change the server refuses, with its reason, until it is fixed', async () => {
    // A category the page knows, archived on another device while this one was offline.
    const created = await s.context.request.post(`${s.stack.url}/api/categories`, { data: { name: 'Trips' } });
    expect(created.status()).to.equal(201);
    const trips = (await created.json()) as { id: string };
    await page().reload();
    await page().locator(`#add-category option[value="${trips.id}"]`).waitFor({ state: 'attached' });
    await s.context.setOffline(true);
    await page().fill('#add-amount', '40');
    await page().selectOption('#add-category', trips.id);
    await page().fill('#add-description', 'train offline');
    await page().press('#add-amount', 'Enter');
    await page().locator('#pending-heading', { hasText: 'Not sent yet (1)' }).waitFor();
    expect((await s.context.request.patch(`${s.stack.url}/api/categories/${trips.id}`, { data: { archived: true } })).status()).to.equal(200);
    await s.context.setOffline(false);
    const refused = page().locator('.pending-item--rejected');
    await refused.waitFor();
    expect(await refused.textContent()).to.match(/Refused: /);
    await page().locator('.expense-list > li', { hasText: 'train offline' }).locator('.expense-pending--rejected', { hasText: 'Refused by the server' }).waitFor();
    // Kept across a reload until the user decides.
    await page().reload();
    await refused.waitFor();
    await refused.locator('button', { hasText: 'Fix' }).click();
    expect(await page().locator('.pending-item--fixing .field-error').first().textContent()).to.match(/archived|categor/i);
    await page().locator('.pending-item--fixing select[name="category"]').selectOption('Transport');
    await page().click('.pending-item--fixing button[type="submit"]');
    await page().locator('[data-testid="pending-changes"]').waitFor({ state: 'detached' });
    const fixed = (await serverExpenses()).filter((e) => e.description === 'train offline');
    expect(fixed.map((e) => e.amount)).to.deep.equal([40]);
  });

  it('takes over a new version cleanly: offered while open, applied at once on the next start', async () => {
    // The page registers its worker (through the lazily loaded workbox-window) a moment after it has loaded.
    const registered = async () => {
      await page().waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('workbox-window')));
      await page().waitForTimeout(300);
    };
    await registered();
    // A new deployment: the worker script changes, so the browser installs it beside the one in control.
    await appendFile(join(s.clientDir, 'sw.js'), '\n// v2\n');
    await page().evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await page().locator('.notice', { hasText: 'A new version of this page is ready.' }).waitFor();
    await Promise.all([page().waitForEvent('load'), page().click('.notice button:has-text("Reload to update")')]);
    await page().locator('#month-label').waitFor();
    await registered();
    expect(await page().evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting === null))).to.equal(true);

    // Another deployment arrives while the page is closed: the next start switches to it by itself.
    await appendFile(join(s.clientDir, 'sw.js'), '\n// v3\n');
    await page().evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await page().waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting));
    await page().reload();
    await page().waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => !!r && !r.waiting && !r.installing && !!navigator.serviceWorker.controller));
    await page().locator('#month-label').waitFor();
    expect(await page().locator('.notice', { hasText: 'A new version' }).count()).to.equal(0);
  });
});
