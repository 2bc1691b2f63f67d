// The web client: its JavaScript, gzipped (the first screen's, the lazily loaded screens', the service
// worker's), how long headless Chromium takes to show a month holding 200 expenses, from navigation
// start, against the local stack (in-memory storage), and Lighthouse's mobile scores on the audit's
// month (40 expenses, 8 alerts), median of five runs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { DEFAULT_CATEGORY_NAMES as CATEGORIES } from '../src/domain/category.js';
import { startLocalStack } from '../src/entrypoints/local/stack.js';
import { seedAuditMonth } from '../test/support/browser.js';
import { runLighthouse, type LighthouseScores } from '../test/support/lighthouse.js';
import type { ClientBuild } from '../client/build.d.mts';
import { BENCH_WRITES } from './benchmark.js';
import type { Benchmark } from './benchmark.js';
import { kb, median, printTable } from './table.js';

const CLIENT_BUILD = 'client/build.mjs';
const EXPENSES = 200;
const RUNS = 5;
const JS_TARGET_GZIP = 30 * 1024;
/** The Lighthouse (mobile) targets. */
const LIGHTHOUSE_TARGETS = { performance: 90, accessibility: 95, bestPractices: 95 } as const;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** A row of the month's expense list (client/src/components/ExpenseList.tsx). */
const ROW_SELECTOR = '.expense-list li.expense';
const TOTAL_SELECTOR = '[data-testid="total-spent"]';
/** Drawn from every expense of the month (the client fetches them all for the charts). */
const CHART_SELECTOR = '[data-testid="daily-chart"]';

type BuildClient = (options: { outDir: string; minify: boolean; log?: (line: string) => void }) => Promise<ClientBuild>;

// Runs in the page before its own scripts: note when the list rows, the total and the chart first
// appear, in ms since navigation start (the page's time origin).
const MARKS_SCRIPT = `
window.__marks = {};
new MutationObserver(() => {
  const marks = window.__marks;
  const now = performance.now();
  if (marks.rows === undefined) {
    const rows = document.querySelectorAll(${JSON.stringify(ROW_SELECTOR)}).length;
    if (rows > 0) { marks.rows = now; marks.rowCount = rows; }
  }
  if (marks.total === undefined && document.querySelector(${JSON.stringify(TOTAL_SELECTOR)})) marks.total = now;
  if (marks.chart === undefined && document.querySelector(${JSON.stringify(CHART_SELECTOR)})) marks.chart = now;
}).observe(document, { childList: true, subtree: true });
`;

interface Marks { rows: number; rowCount: number; total: number; chart: number; fcp: number | null; domContentLoaded: number; loadMore: boolean; apiRequests: number }

/** Local month and dates, as the browser (same machine, same time zone) sees them. */
function localMonth(): { month: string; today: number } {
  const now = new Date();
  return { month: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`, today: now.getDate() };
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

async function measureOnce(url: string): Promise<Marks> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let apiRequests = 0;
    page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests++; });
    await page.addInitScript(MARKS_SCRIPT);
    await page.goto(url, { waitUntil: 'commit' });
    // Strings, not functions: tsx would wrap functions in helpers the page does not have.
    // Polled through page.evaluate (the DevTools protocol): waitForFunction compiles its predicate
    // inside the page, which the page's CSP (no 'unsafe-eval') rightly refuses.
    const allMarked = 'Boolean(window.__marks && window.__marks.rows !== undefined && window.__marks.total !== undefined && window.__marks.chart !== undefined)';
    for (const started = Date.now(); !(await page.evaluate(allMarked)); await new Promise((resolve) => setTimeout(resolve, 20))) {
      if (Date.now() - started > 30_000) throw new Error('the page did not show rows, totals and charts within 30 s');
    }
    const marks = await page.evaluate(`(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const navigation = performance.getEntriesByType('navigation')[0];
      return { ...window.__marks, fcp: paint ? paint.startTime : null, domContentLoaded: navigation ? navigation.domContentLoadedEventEnd : 0,
        loadMore: document.querySelector('button.load-more') !== null };
    })()`) as Omit<Marks, 'apiRequests'>;
    return { ...marks, apiRequests };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

export const clientBenchmark: Benchmark = {
  name: 'client',
  title: `Web client: initial JavaScript and time to render a month of ${EXPENSES} expenses in headless Chromium`,
  async run() {
    if (!existsSync(CLIENT_BUILD)) {
      console.log('client not built yet (no client/build.mjs): skipped');
      return;
    }
    if (!existsSync(CHROMIUM)) {
      console.log(`no Chromium at ${CHROMIUM}: only the size is measured`);
    }
    const outDir = mkdtempSync(join(tmpdir(), 'bench-client-'));
    try {
      const { buildClient } = (await import(pathToFileURL(resolve(CLIENT_BUILD)).href)) as { buildClient: BuildClient };
      const build = await buildClient({ outDir, minify: true, log: () => {} });
      const sum = (kind: string) => build.files.filter((f) => f.kind === kind);
      const total = (files: ClientBuild['files']) => [kb(files.reduce((n, f) => n + f.bytes, 0)), kb(files.reduce((n, f) => n + f.gzipBytes, 0))];
      printTable('Client build (client/build.mjs buildClient, minified; gzip -9 per file)', ['file', 'loaded', 'bytes', 'gzipped'], [
        ...build.files.map((f) => [f.file.replace(/-[A-Z0-9]{8}\./, '-<hash>.'), f.kind, kb(f.bytes), kb(f.gzipBytes)]),
        ['first screen JavaScript', 'initial', ...total(sum('initial'))],
        ['lazily loaded screens', 'lazy', ...total(sum('lazy'))],
        ['service worker', 'service-worker', ...total(sum('service-worker'))],
      ]);
      console.log(`Target "initial JavaScript at most ${kb(JS_TARGET_GZIP)} gzipped" (lazy screens and the service worker not counted): `
        + `${build.jsGzipBytes <= JS_TARGET_GZIP ? 'MET' : 'MISSED'} (${kb(build.jsGzipBytes)})`);
      if (!existsSync(CHROMIUM)) return;

      const stack = await startLocalStack({ port: 0, storage: 'memory', clientDir: outDir, log: () => {} , writeRateLimit: BENCH_WRITES });
      try {
        const { month, today } = localMonth();
        for (let i = 0; i < EXPENSES; i++) {
          await post(`${stack.url}/api/expenses`, {
            amount: Math.round(100 + ((i * 7919) % 9900)) / 100,
            category: CATEGORIES[i % CATEGORIES.length],
            date: `${month}-${String(1 + (i % today)).padStart(2, '0')}`,
            description: `Expense ${i + 1}`,
          });
        }
        const runs: Marks[] = [];
        for (let run = 0; run < RUNS; run++) runs.push(await measureOnce(`${stack.url}/#${month}`));
        const row = (name: string, pick: (m: Marks) => number | null) => {
          const values = runs.map(pick).filter((v): v is number => v !== null);
          return [name, `${median(values).toFixed(0)} ms`, `${Math.min(...values).toFixed(0)} ms`, `${Math.max(...values).toFixed(0)} ms`];
        };
        printTable(`From navigation start, median of ${RUNS} cold launches (fresh profile each), month ${month} with ${EXPENSES} expenses`,
          ['milestone', 'median', 'min', 'max'], [
            row('DOMContentLoaded', (m) => m.domContentLoaded),
            row('first contentful paint', (m) => m.fcp),
            row(`expense list: first rows (${runs[0]!.rowCount} of ${EXPENSES})`, (m) => m.rows),
            row('month total shown', (m) => m.total),
            row(`charts drawn (all ${EXPENSES} expenses fetched)`, (m) => m.chart),
            row('month fully rendered (latest of the three)', (m) => Math.max(m.rows, m.total, m.chart)),
          ]);
        console.log(`The list shows ${runs[0]!.rowCount} rows per page${runs[0]!.loadMore ? ' with a "Load more" button' : ''}; `
          + `the page made ${median(runs.map((m) => m.apiRequests))} API requests to render the month.`);
      } finally {
        await stack.close();
      }
      await lighthouseRuns(outDir);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};

/** Lighthouse (mobile) five times on the audit's month, each in a fresh profile: median and range per score. */
async function lighthouseRuns(clientDir: string): Promise<void> {
  const stack = await startLocalStack({ port: 0, storage: 'memory', clientDir, log: () => {}, writeRateLimit: BENCH_WRITES });
  try {
    await seedAuditMonth(stack.url);
    const { month } = localMonth();
    const runs: LighthouseScores[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await runLighthouse(`${stack.url}/#${month}`));
    const row = (name: string, pick: (s: LighthouseScores) => number, unit = '') => {
      const values = runs.map(pick);
      const f = (v: number) => `${unit === 'ms' ? Math.round(v) : unit === 'cls' ? v.toFixed(3) : v}${unit === 'ms' ? ' ms' : ''}`;
      return [name, f(median(values)), f(Math.min(...values)), f(Math.max(...values))];
    };
    printTable(`Lighthouse 12 (mobile: simulated slow 4G, 4x CPU slowdown), ${RUNS} runs, month with 40 expenses and 8 alerts`, ['score', 'median', 'min', 'max'], [
      row('performance', (s) => s.performance), row('accessibility', (s) => s.accessibility), row('best practices', (s) => s.bestPractices),
      row('SEO', (s) => s.seo), row('cumulative layout shift', (s) => s.cls, 'cls'), row('largest contentful paint', (s) => s.lcp, 'ms'),
      row('total blocking time', (s) => s.tbt, 'ms'),
    ]);
    for (const [key, target] of Object.entries(LIGHTHOUSE_TARGETS) as [keyof typeof LIGHTHOUSE_TARGETS, number][]) {
      const got = median(runs.map((s) => s[key]));
      console.log(`Target "Lighthouse ${key} at least ${target}" (median): ${got >= target ? 'MET' : 'MISSED'} (${got})`);
    }
  } finally {
    await stack.close();
  }
}
