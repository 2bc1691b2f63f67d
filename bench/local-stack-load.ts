// End to end on the local stack (`npm start`'s server: HTTP bridge, API handler, DynamoDB Local):
// autocannon drives a mixed workload of 70% reads and 30% writes through real HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { DEFAULT_CATEGORY_NAMES as CATEGORIES } from '../src/domain/category.js';
import { startLocalStack } from '../src/entrypoints/local/stack.js';
import { BENCH_WRITES } from './benchmark.js';
import type { Benchmark } from './benchmark.js';
import { percentile, printTable } from './table.js';

const DURATION_S = 10;
const CONNECTIONS = 10;
const SEEDED_EXPENSES = 200;
const SEED = 0x5eed;

/** Small deterministic PRNG (mulberry32), so every run draws the same mix of requests. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'GET /api/summary' | 'GET /api/expenses' | 'POST /api/expenses';
const KINDS: Kind[] = ['GET /api/summary', 'GET /api/expenses', 'POST /api/expenses'];

export function currentMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

export function expenseBody(random: () => number, month: string): string {
  const today = new Date().getUTCDate();
  return JSON.stringify({
    amount: Math.round(100 + random() * 4900) / 100,
    category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
    date: `${month}-${String(1 + Math.floor(random() * today)).padStart(2, '0')}`,
    description: `Load test ${Math.floor(random() * 1e6)}`,
  });
}

async function send(url: string, method: string, body?: string): Promise<void> {
  const response = await fetch(url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

interface DynamoDbCounters { calls: Map<string, number>; transactions: number; cancelled: Map<string, number> }

/**
 * Counts the stack's DynamoDB calls by command, and why TransactWriteItems were cancelled, by
 * wrapping DynamoDBClient.prototype.send for the duration of the run (the stack builds its own
 * client inside the composition root; nothing in src changes).
 */
function countDynamoDbCalls(): { counters: DynamoDbCounters; restore: () => void } {
  const counters: DynamoDbCounters = { calls: new Map(), transactions: 0, cancelled: new Map() };
  const prototype = DynamoDBClient.prototype as unknown as { send: (command: { constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown> };
  const original = prototype.send;
  prototype.send = async function (this: unknown, command, ...rest) {
    const name = command.constructor.name.replace(/Command$/, '');
    counters.calls.set(name, (counters.calls.get(name) ?? 0) + 1);
    if (name === 'TransactWriteItems') counters.transactions++;
    try {
      return await original.call(this, command, ...rest);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const codes = [...new Set((error.CancellationReasons ?? []).map((r) => r.Code).filter((c) => c && c !== 'None'))].join('+') || 'unknown';
        counters.cancelled.set(codes, (counters.cancelled.get(codes) ?? 0) + 1);
      }
      throw error;
    }
  };
  return { counters, restore: () => { prototype.send = original; } };
}

/** Counts (and hides) what the stack's console logger prints while the load runs. */
function muteConsole(): { lines: () => number; restore: () => void } {
  const saved = { log: console.log, info: console.info, error: console.error, warn: console.warn };
  let lines = 0;
  const count = () => { lines++; };
  Object.assign(console, { log: count, info: count, error: count, warn: count });
  return { lines: () => lines, restore: () => Object.assign(console, saved) };
}

export const localStackLoadBenchmark: Benchmark = {
  name: 'local-stack',
  title: `Local stack over HTTP with DynamoDB Local: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s, 70% reads / 30% writes`,
  async run() {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-stack-data-'));
    const clientDir = mkdtempSync(join(tmpdir(), 'bench-stack-client-'));
    const logLines: string[] = [];
    const stack = await startLocalStack({ port: 0, storage: 'dynamodb', dataDir, clientDir, log: (line) => logLines.push(line) , writeRateLimit: BENCH_WRITES });
    const muted = muteConsole();
    try {
      const month = currentMonth();
      const random = mulberry32(SEED);
      // Limits the run will cross part-way, so the alert rule raises (and logs) a few alerts too.
      await send(`${stack.url}/api/budget`, 'PUT', JSON.stringify({
        currency: 'USD', monthlyLimit: 15_000, categoryLimits: { Food: 1_500, Travel: 1_500 }, thresholds: [50, 80, 100], alertEmail: null,
      }));
      for (let i = 0; i < SEEDED_EXPENSES; i += 10) {
        await Promise.all(Array.from({ length: 10 }, () => send(`${stack.url}/api/expenses`, 'POST', expenseBody(random, month))));
      }

      const dynamo = countDynamoDbCalls();
      const latencies = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
      const statuses = new Map<Kind, Map<number, number>>(KINDS.map((k) => [k, new Map()]));
      const result = await autocannon({
        url: stack.url,
        connections: CONNECTIONS,
        duration: DURATION_S,
        timeout: 10,
        requests: [{
          setupRequest: (request, context): AutocannonRequest => {
            const draw = random();
            const kind: Kind = draw < 0.35 ? 'GET /api/summary' : draw < 0.7 ? 'GET /api/expenses' : 'POST /api/expenses';
            context.kind = kind;
            context.sentAt = performance.now();
            if (kind === 'GET /api/summary') return { ...request, method: 'GET', path: `/api/summary?month=${month}`, headers: {}, body: undefined };
            if (kind === 'GET /api/expenses') return { ...request, method: 'GET', path: `/api/expenses?month=${month}&limit=20`, headers: {}, body: undefined };
            return { ...request, method: 'POST', path: '/api/expenses', headers: { 'content-type': 'application/json' }, body: expenseBody(random, month) };
          },
          onResponse: (status, _body, context) => {
            const kind = context.kind as Kind;
            latencies.get(kind)!.push(performance.now() - (context.sentAt as number));
            const counts = statuses.get(kind)!;
            counts.set(status, (counts.get(status) ?? 0) + 1);
          },
        }],
      });
      const hiddenLines = muted.lines();
      muted.restore();
      dynamo.restore();

      printTable(`autocannon: ${CONNECTIONS} connections for ${DURATION_S} s against ${stack.url} (server and load generator share this process)`,
        ['requests', 'req/s (mean)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'errors', 'timeouts'],
        [[result.requests.total, result.requests.average, result.latency.p50, result.latency.p90, result.latency.p99, result.latency.max,
          result['2xx'], result.non2xx, result.errors, result.timeouts]]);
      printTable('Per request kind (latency from request build to response, measured in the load generator)',
        ['request', 'count', 'share', 'p50 ms', 'p99 ms', 'status codes'],
        KINDS.map((kind) => {
          const sorted = [...latencies.get(kind)!].sort((a, b) => a - b);
          const total = [...latencies.values()].reduce((sum, l) => sum + l.length, 0);
          const codes = [...statuses.get(kind)!].sort((a, b) => a[0] - b[0]).map(([code, count]) => `${code}×${count}`).join(' ');
          return [kind, sorted.length, `${((100 * sorted.length) / total).toFixed(1)}%`, percentile(sorted, 50), percentile(sorted, 99), codes];
        }));
      const { calls, transactions, cancelled } = dynamo.counters;
      const cancelledTotal = [...cancelled.values()].reduce((sum, c) => sum + c, 0);
      const posts = latencies.get('POST /api/expenses')!.length;
      printTable('DynamoDB calls made by the stack during the run', ['command', 'calls'], [...calls].sort((a, b) => b[1] - a[1]));
      console.log(`TransactWriteItems: ${transactions} attempts for ${posts} POSTs answered; ${cancelledTotal} cancelled `
        + `(${((100 * cancelledTotal) / Math.max(1, transactions)).toFixed(1)}%: ${[...cancelled].map(([code, n]) => `${code}×${n}`).join(', ') || 'none'}), `
        + `each retried by retryOnConflict with jittered backoff.`);
      console.log(`(${hiddenLines} log lines from the stack's console logger were counted and hidden during the run; ${logLines.length} stack log lines)`);
      for (const line of logLines.slice(0, 8)) {
        let subject = line;
        try { subject = (JSON.parse(line) as { subject?: string }).subject ?? line; } catch { /* not JSON */ }
        console.log(`  stack log: ${subject.slice(0, 160)}`);
      }
    } finally {
      muted.restore();
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(clientDir, { recursive: true, force: true });
    }
  },
};
