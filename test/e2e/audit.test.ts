/**
 * The page as the tools people trust see it, in Debian's Chromium:
 *  - axe-core finds no serious or critical violation of the WCAG 2.1 A/AA rules on any screen (empty,
 *    form errors, with data and alerts, the budget form with errors, the import preview, the category
 *    confirmation, the year at a glance, offline with a change waiting), at 375x812 and at 1280x800;
 *  - Lighthouse (mobile) scores accessibility and best practices at least 95 with the audit's data
 *    (40 expenses, 8 alerts). Its performance score is a benchmark figure (`npm run bench -- client`):
 *    it depends on the machine, and timed assertions do not belong in `npm test`.
 * Installability is checked in offline.test.ts with Chromium's own check (Lighthouse 12 dropped its PWA category).
 */
import { expect } from 'chai';
import { axeViolations, requireChromium, seedAuditMonth, startPageStack, type PageStack } from '../support/browser.js';
import { runLighthouse } from '../support/lighthouse.js';

const VIEWPORTS = [{ width: 375, height: 812 }, { width: 1280, height: 800 }] as const;
const pad = (n: number) => String(n).padStart(2, '0');
const now = new Date();
const month = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;

describe('the page under axe-core and Lighthouse, on every screen (e2e)', function () {
  this.timeout(240_000);
  let s: PageStack;

  before(async function () {
    requireChromium(this);
    s = await startPageStack({ viewport: VIEWPORTS[0] });
  });

  after(async () => {
    await s?.close();
  });

  afterEach(() => {
    expect(s.pageErrors, 'uncaught errors in the page').to.deep.equal([]);
  });

  const page = () => s.page;

  /** Loads the page at each viewport, brings it to a screen, and collects axe's serious and critical findings. */
  async function auditScreen(name: string, reach: () => Promise<void>) {
    const found: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page().setViewportSize(viewport);
      // A fresh load each time (the same URL with its #month again would only be a same-document jump).
      await page().goto('about:blank');
      await page().goto(`${s.stack.url}/#${month}`);
      await page().locator('[data-testid="total-spent"]').waitFor();
      await reach();
      found.push(...(await axeViolations(page(), ['serious', 'critical'])).map((v) => `${name} at ${viewport.width}x${viewport.height}: ${v}`));
    }
    expect(found).to.deep.equal([]);
  }

  it('finds nothing serious on the empty page, and on the add form showing its errors', async () => {
    await auditScreen('empty page', async () => {
      await page().locator('[data-testid="budget-hint"]').waitFor();
    });
    await auditScreen('add form with errors', async () => {
      await page().fill('#add-amount', 'abc');
      await page().press('#add-amount', 'Enter');
      await page().locator('#add-amount-error').waitFor();
    });
  });

  it('finds nothing serious on a month with 40 expenses and 8 alerts, its daily table open', async () => {
    await seedAuditMonth(s.stack.url, now);
    const alerts = (await (await s.context.request.get(`${s.stack.url}/api/alerts?month=${month}`)).json()).items;
    expect(alerts).to.have.length(8);
    await auditScreen('month with data', async () => {
      await page().locator('[data-testid="alert-history"]').waitFor();
      await page().locator('.daily-table summary').click();
    });
  });

  it('finds nothing serious on the budget form with errors, the import preview and the category confirmation', async () => {
    await auditScreen('budget form with errors', async () => {
      await page().fill('#budget-thresholds', '80, abc');
      await page().click('.budget-form button[type="submit"]');
      await page().locator('.budget-form .field-error').first().waitFor();
    });
    await auditScreen('import preview', async () => {
      const csv = `date,amount,category,description\n${month}-01,4.20,Food,bakery\n${month}-02,x,Food,broken\n`;
      await page().setInputFiles('#import-file', { name: 'expenses.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page().locator('.import button', { hasText: 'Preview' }).click();
      await page().locator('.import-counts').waitFor();
    });
    await auditScreen('category delete confirmation', async () => {
      await page().locator('.categories button.danger', { hasText: 'Delete' }).first().click();
      await page().locator('.confirm').waitFor();
    });
  });

  it('finds nothing serious on the year at a glance, nor offline with a change waiting', async () => {
    await auditScreen('the last 12 months', async () => {
      await page().click('button:has-text("A year at a glance")');
      await page().locator('[data-testid="trends"] table').waitFor();
    });
    await auditScreen('offline with a change waiting', async () => {
      await s.context.setOffline(true);
      try {
        await page().fill('#add-amount', '3.50');
        await page().press('#add-amount', 'Enter');
        await page().locator('[data-testid="pending-changes"]').waitFor();
        await page().locator('[data-testid="offline-notice"]').waitFor();
      } finally {
        await s.context.setOffline(false);
      }
      await page().locator('[data-testid="pending-changes"]').waitFor({ state: 'detached' });
    });
  });

  it('scores at least 95 for accessibility and best practices in Lighthouse (mobile), with the month of data', async () => {
    const scores = await runLighthouse(`${s.stack.url}/#${month}`);
    console.log(`      Lighthouse 12 (mobile): accessibility ${scores.accessibility}, best practices ${scores.bestPractices}, SEO ${scores.seo}; `
      + `performance ${scores.performance} on this machine (CLS ${scores.cls.toFixed(3)}, LCP ${Math.round(scores.lcp)} ms, TBT ${Math.round(scores.tbt)} ms)`);
    expect(scores.failing, 'failed audits').to.deep.equal([]);
    expect(scores.accessibility).to.be.at.least(95);
    expect(scores.bestPractices).to.be.at.least(95);
    expect(scores.seo).to.be.at.least(95);
  });
});
