/**
 * What the browser suites share: Debian's Chromium through playwright-core, and the built page served
 * by the real local stack (API + static files) on a free port with a fresh data dir.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildClient } from '../../client/build.mjs';
import { startLocalStack, type LocalStack } from '../../src/entrypoints/local/stack.js';

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
