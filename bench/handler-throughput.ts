// Requests per second and latency of the API handler in-process, with the in-memory adapters, beside
// a bare handler that returns a constant response (the floor). Requests run one after another, each
// with a freshly built API Gateway v2 event, for a fixed time after a warm-up.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler, type ApiHandler } from '../src/adapters/http/api-handler.js';
import type { HttpResponse } from '../src/adapters/http/responses.js';
import { TOKENS, type LedgerRepository, type Logger } from '../src/application/ports.js';
import { apiDependencies, createContainer } from '../src/composition-root.js';
import type { Benchmark } from './benchmark.js';
import { percentile, printTable } from './table.js';

const WARM_UP_MS = 1_000;
const DURATION_MS = 3_000;
const USER = 'bench-user';
const MONTH = '2025-11';

const silentLogger: Logger = { info: () => {}, error: () => {} };

export function apiEvent(method: string, path: string, options: { query?: Record<string, string>; body?: unknown; userId?: string } = {}): APIGatewayProxyEventV2 {
  const now = Date.now();
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: {
      host: 'api.example.com',
      'user-agent': 'bench',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '123456789012', apiId: 'bench', domainName: 'api.example.com', domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `req-${now}`, routeKey: '$default', stage: '$default', time: new Date(now).toISOString(), timeEpoch: now,
      authorizer: { jwt: { claims: { sub: options.userId ?? USER }, scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
  };
}

interface Scenario {
  name: string;
  handler: ApiHandler;
  event: (i: number) => APIGatewayProxyEventV2;
  expectStatus: number;
}

/** One pre-sized sample buffer for all runs (64 MB outside the JS heap), so growing it never shows up in the timings. */
const latencies = new Float64Array(8_000_000);

interface Result { name: string; requests: number; rps: number; p50us: number; p99us: number; rssMb: number; heapMb: number; heapGrowthMb: number }

async function drive(scenario: Scenario): Promise<Result> {
  let i = 0;
  const once = async (): Promise<number> => {
    const event = scenario.event(i++);
    const started = process.hrtime.bigint();
    const response: HttpResponse = await scenario.handler(event);
    const elapsed = Number(process.hrtime.bigint() - started);
    if (response.statusCode !== scenario.expectStatus) {
      throw new Error(`${scenario.name}: expected ${scenario.expectStatus}, got ${response.statusCode} ${response.body ?? ''}`);
    }
    return elapsed;
  };
  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) await once();
  const heapBefore = process.memoryUsage().heapUsed;
  let count = 0;
  const started = performance.now();
  const until = started + DURATION_MS;
  // Check the clock every 64 requests: performance.now() is cheap but not free next to a constant handler.
  while (true) {
    for (let k = 0; k < 64; k++) latencies[count++] = await once();
    if (performance.now() >= until || count + 64 > latencies.length) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, count).sort();
  const memory = process.memoryUsage();
  return {
    name: scenario.name,
    requests: count,
    rps: count / seconds,
    p50us: percentile(sorted, 50) / 1000,
    p99us: percentile(sorted, 99) / 1000,
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
    heapGrowthMb: (memory.heapUsed - heapBefore) / 2 ** 20,
  };
}

export const handlerThroughputBenchmark: Benchmark = {
  name: 'handler',
  title: 'API handler throughput in-process (in-memory adapters) vs a constant-response handler',
  async run() {
    const container = createContainer({ storage: 'memory', tableName: 'unused', region: 'local', notifier: 'memory', allowedOrigins: [] });
    container.rebind(TOKENS.Logger).toConstantValue(silentLogger);
    const handler = createApiHandler(apiDependencies(container, []));
    const budget = await handler(apiEvent('PUT', '/api/budget', {
      body: { currency: 'USD', monthlyLimit: 1_000_000_000, categoryLimits: { Food: 500_000_000 }, thresholds: [50, 80, 100], alertEmail: null },
    }));
    if (budget.statusCode !== 200) throw new Error(`PUT /api/budget answered ${budget.statusCode}: ${budget.body}`);

    const constant: ApiHandler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' });
    const scenarios: Scenario[] = [
      { name: 'floor: constant response', handler: constant, event: () => apiEvent('GET', '/api/summary', { query: { month: MONTH } }), expectStatus: 200 },
      { name: 'GET /api/summary', handler, event: () => apiEvent('GET', '/api/summary', { query: { month: MONTH } }), expectStatus: 200 },
      {
        name: 'POST /api/expenses', handler, expectStatus: 201,
        event: (i) => apiEvent('POST', '/api/expenses', {
          body: { amount: (100 + (i % 5000)) / 100, category: 'Food', date: `${MONTH}-${String(1 + (i % 28)).padStart(2, '0')}`, description: `Lunch ${i}` },
        }),
      },
    ];
    // Diagnostic: the same summary route over a repository that hands out stored objects instead of
    // structuredClone-ing them on every read as InMemoryLedgerRepository does (read-only route, so safe).
    const memory = container.get(TOKENS.LedgerRepository);
    const [month] = await memory.getMonths(USER, [MONTH]);
    const storedBudget = await memory.getBudget(USER);
    const noCopy = createContainer({ storage: 'memory', tableName: 'unused', region: 'local', notifier: 'memory', allowedOrigins: [] });
    noCopy.rebind(TOKENS.Logger).toConstantValue(silentLogger);
    noCopy.rebind(TOKENS.LedgerRepository).toConstantValue(Object.assign(Object.create(memory) as LedgerRepository, {
      getMonths: async (_userId: string, months: string[]) => months.map(() => month!),
      getBudget: async () => storedBudget,
    }));
    scenarios.push({
      name: 'GET /api/summary, reads not cloned (diagnostic)', handler: createApiHandler(apiDependencies(noCopy, [])),
      event: () => apiEvent('GET', '/api/summary', { query: { month: MONTH } }), expectStatus: 200,
    });
    const results: Result[] = [];
    for (const scenario of scenarios) results.push(await drive(scenario));
    const floor = results[0]!.rps;
    printTable(`Sequential in-process requests, ${WARM_UP_MS / 1000} s warm-up then ${DURATION_MS / 1000} s each; memory of the whole bench process after each run`,
      ['handler', 'requests', 'req/s', '% of floor', 'p50 µs', 'p99 µs', 'RSS MB', 'heap MB', 'heap Δ MB'],
      results.map((r) => [r.name, r.requests, Math.round(r.rps), `${((100 * r.rps) / floor).toFixed(1)}%`, r.p50us, r.p99us, r.rssMb, r.heapMb, r.heapGrowthMb]));
    console.log('(heap Δ: heap used after the timed run minus before it; POST keeps every expense it adds in the in-memory repository)');
    for (const r of results.slice(1).filter((r) => !r.name.includes('diagnostic'))) {
      const share = r.rps / floor;
      console.log(`Target "at least 50% of the floor" for ${r.name}: ${share >= 0.5 ? 'MET' : 'MISSED'} (${(share * 100).toFixed(1)}%, ${(1e6 / r.rps).toFixed(1)} µs per request vs ${(1e6 / floor).toFixed(2)} µs)`);
    }
  },
};
