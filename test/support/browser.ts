/**
 * What the browser suites share: Debian's Chromium through playwright-core, and the built page served
 * by the real local stack (API + static files) on a free port with a fresh data dir.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildClient } from '../../client/build.mjs';
import { startLocalStack, type LocalStack } from '../../src/entrypoints/local/stack.js';

const requireFromHere = createRequire(import.meta.url);

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface PageStack {
  stack: LocalStack;
  storage: 'dynamodb' | 'memory';
  /** The built client the stack serves (a build may be changed in place to test an update). */
  clientDir: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in any page of the context. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Skips the suite when Chromium is missing (apt-get install -y chromium). */
export function requireChromium(suite: Mocha.Context): void {
  if (!existsSync(CHROMIUM)) {
    console.warn(`    (skipped: ${CHROMIUM} is not installed; run apt-get install -y chromium)`);
    suite.skip();
  }
}

/** Builds the page, starts the stack (DynamoDB Local, or memory when Java is missing) and a Chromium profile. */
export async function startPageStack(options: { viewport?: { width: number; height: number }; port?: number } = {}): Promise<PageStack> {
  const temp = await mkdtemp(join(tmpdir(), 'budget-browser-'));
  const clientDir = join(temp, 'client');
  await buildClient({ outDir: clientDir, minify: true, log: () => {} });
  const dataDir = join(temp, 'data');
  await mkdir(dataDir);
  const log = () => {};
  let stack: LocalStack;
  let storage: PageStack['storage'] = 'dynamodb';
  try {
    stack = await startLocalStack({ port: options.port ?? 0, storage: 'dynamodb', dataDir, clientDir, log });
  } catch (error) {
    console.warn(`    (DynamoDB Local did not start, using memory storage: ${error instanceof Error ? error.message : String(error)})`);
    storage = 'memory';
    stack = await startLocalStack({ port: options.port ?? 0, storage: 'memory', clientDir, log });
  }
  const context = await chromium.launchPersistentContext(join(temp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  const watch = (p: Page) => p.on('pageerror', (error) => pageErrors.push(error.message));
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    stack, storage, clientDir, context, page, pageErrors,
    async close() {
      await context.close().catch(() => {});
      await stack.close();
      await rm(temp, { recursive: true, force: true });
    },
  };
}

/**
 * The audit's month: a budget with thresholds 50/80/100 on the month and two categories, and 40
 * expenses this month that cross eight of them (so eight alerts), spread over the days so far.
 */
export async function seedAuditMonth(baseUrl: string, now = new Date()): Promise<void> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
  const send = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  };
  const budget = await (await fetch(`${baseUrl}/api/budget`)).json() as Record<string, unknown>;
  await send('PUT', '/api/budget', {
    ...budget, monthlyLimit: 1500, categoryLimits: { Food: 300, Transport: 120 }, thresholds: [50, 80, 100],
  });
  const categories = ['Food', 'Transport', 'Housing', 'Entertainment', 'Food', 'Health', 'Shopping', 'Food'];
  for (let i = 0; i < 40; i++) {
    const category = i === 0 ? 'Housing' : categories[i % categories.length]!;
    const amount = i === 0 ? 1000 : category === 'Food' ? 22.5 : category === 'Transport' ? 19.4 : 9.99;
    await send('POST', '/api/expenses', {
      amount, category, date: `${month}-${pad(1 + (i % now.getDate()))}`, description: i === 0 ? 'rent' : `expense ${i + 1}`,
    });
  }
}

/** axe-core's findings on the page as it is now, for the WCAG 2.1 A and AA rules: "rule (impact): targets". */
export async function axeViolations(page: Page, impacts: readonly string[] = ['minor', 'moderate', 'serious', 'critical']): Promise<string[]> {
  const axeSource = await readFile(requireFromHere.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return results.violations.filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
