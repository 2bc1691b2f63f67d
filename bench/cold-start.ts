// Cold start: a fresh Node process imports a Lambda bundle and answers its first request (GET
// /api/health), beside a bundle that only constructs the same AWS SDK clients (the floor). Also the
// bundles' sizes and, from esbuild's metafile, what the API bundle is made of.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import type { Benchmark } from './benchmark.js';
import { kb, median, printTable } from './table.js';

const RUNS = 20;
const API_ENTRY = 'src/entrypoints/lambda/api.ts';
const ALERT_DELIVERY_ENTRY = 'src/entrypoints/lambda/alert-delivery.ts';
const IMPORTS_ENTRY = 'src/entrypoints/lambda/imports.ts';
const FLOOR_ENTRY = 'bench/fixtures/sdk-clients-only.ts';
const GZIP_TARGET_BYTES = 150 * 1024;

interface BundleSize { name: string; bytes: number; gzipBytes: number }
interface BuildScript {
  buildLambda(name: string, entryPoint: string, outRoot?: string): Promise<BundleSize>;
  lambdaBuildOptions(entryPoint: string, outdir: string): BuildOptions;
}

/** What the child prints: times from its own time origin, and the epoch time it answered at. */
interface ChildReport { status: number; importMs: number; readyMs: number; answeredAtEpochMs: number }

// Runs in the fresh process: import the bundle, hand it an API Gateway v2 health-check event.
const CHILD_SCRIPT = `
const importStart = performance.now();
const bundle = process.env.BENCH_BUNDLE ? await import(process.env.BENCH_BUNDLE) : { handler: async () => ({ statusCode: 200 }) };
const imported = performance.now();
const now = Date.now();
const response = await bundle.handler({
  version: '2.0', routeKey: '$default', rawPath: '/api/health', rawQueryString: '', headers: { host: 'api.example.com' },
  requestContext: { accountId: '123456789012', apiId: 'bench', domainName: 'api.example.com', domainPrefix: 'api',
    http: { method: 'GET', path: '/api/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    requestId: 'cold-start', routeKey: '$default', stage: '$default', time: new Date(now).toISOString(), timeEpoch: now },
  isBase64Encoded: false,
}, {});
const ready = performance.now();
process.stdout.write(JSON.stringify({ status: response.statusCode, importMs: imported - importStart, readyMs: ready, answeredAtEpochMs: performance.timeOrigin + ready }));
`;

function coldStart(bundleUrl: string | null): Promise<ChildReport & { fromSpawnMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TABLE_NAME: 'Expenses',
      ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
      // As infra/api.ts gives the API Lambda: the report links' secret and base URL, and a sender.
      REPORT_TOKEN_SECRET: 'bench-report-token-secret',
      REPORT_LINK_BASE: 'https://a1b2c3.execute-api.us-east-1.amazonaws.com',
      REPORT_FROM: 'reports@example.com',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      ...(bundleUrl ? { BENCH_BUNDLE: bundleUrl } : {}),
    };
    const spawnedAt = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`cold-start child exited with ${code}: ${err.trim()}`));
      try {
        const report = JSON.parse(out) as ChildReport;
        if (report.status !== 200) return reject(new Error(`first request answered ${report.status}`));
        resolvePromise({ ...report, fromSpawnMs: report.answeredAtEpochMs - spawnedAt });
      } catch (error) {
        reject(new Error(`unreadable child output ${JSON.stringify(out)} ${err}: ${String(error)}`));
      }
    });
  });
}

/** The shipped build's options (scripts/build.mjs) with `extra` on top. */
async function buildVariant(buildScript: BuildScript, outdir: string, extra: BuildOptions): Promise<{ metafile: Metafile | undefined; bytes: number; gzipBytes: number }> {
  const result = await build({ ...buildScript.lambdaBuildOptions(API_ENTRY, outdir), ...extra });
  const code = readFileSync(join(outdir, 'index.mjs'));
  return { metafile: result.metafile, bytes: code.length, gzipBytes: gzipSync(code).length };
}

/** Which package (or the app) an esbuild input path belongs to. */
function owner(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return path.startsWith('src/') ? 'app code (src/)' : path;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function composition(metafile: Metafile): { byPackage: [string, number][]; byScope: [string, number][]; total: number } {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!;
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(owner(path), (byPackage.get(owner(path)) ?? 0) + bytesInOutput);
  }
  const byScope = new Map<string, number>();
  for (const [name, bytes] of byPackage) {
    const scope = name.startsWith('@aws-sdk/') ? '@aws-sdk/* (all)' : name.startsWith('@smithy/') ? '@smithy/* (all)'
      : name.startsWith('@aws-crypto/') ? '@aws-crypto/* (all)' : name;
    byScope.set(scope, (byScope.get(scope) ?? 0) + bytes);
  }
  const sort = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { byPackage: sort(byPackage), byScope: sort(byScope), total: output.bytes };
}

export const coldStartBenchmark: Benchmark = {
  name: 'cold-start',
  title: 'Cold start of the API Lambda bundle vs a bundle that only constructs the SDK clients',
  async run() {
    const outRoot = mkdtempSync(join(tmpdir(), 'bench-cold-start-'));
    try {
      const buildScript = (await import(pathToFileURL(resolve('scripts/build.mjs')).href)) as BuildScript;
      const { buildLambda } = buildScript;
      const sizes = [
        await buildLambda('api', API_ENTRY, outRoot),
        await buildLambda('alert-delivery', ALERT_DELIVERY_ENTRY, outRoot),
        await buildLambda('imports', IMPORTS_ENTRY, outRoot),
        await buildLambda('sdk-clients-only', FLOOR_ENTRY, outRoot),
      ];
      const api = sizes[0]!;
      printTable('Bundle sizes (scripts/build.mjs buildLambda: esbuild, ESM, node20, minified)',
        ['bundle', 'minified', 'gzipped'], sizes.map((s) => [s.name, kb(s.bytes), kb(s.gzipBytes)]));
      console.log(`Target "API bundle at most ${kb(GZIP_TARGET_BYTES)} gzipped": ${api.gzipBytes <= GZIP_TARGET_BYTES ? 'MET' : 'MISSED'} (${kb(api.gzipBytes)})`);

      const analysis = await buildVariant(buildScript, join(outRoot, 'metafile'), { metafile: true });
      const { byPackage, byScope, total } = composition(analysis.metafile!);
      const share = (bytes: number) => `${((100 * bytes) / total).toFixed(1)}%`;
      printTable('What the API bundle is made of (esbuild metafile, minified bytes in output)', ['package', 'bytes', 'share'],
        byPackage.slice(0, 15).map(([name, bytes]) => [name, kb(bytes), share(bytes)]));
      printTable('Grouped', ['group', 'bytes', 'share'], byScope.slice(0, 8).map(([name, bytes]) => [name, kb(bytes), share(bytes)]));
      // The SDK's default credential chain (SSO, STS, INI, web identity, login and their nested
      // clients) is aliased away in scripts/build.mjs; this checks that none of it came back.
      const chain = byPackage.filter(([name]) => /^@aws-sdk\/(nested-clients|credential-provider-(?!env)|token-providers)/.test(name))
        .reduce((sum, [, bytes]) => sum + bytes, 0);
      console.log(`Credential-chain packages besides env still bundled (@aws-sdk/nested-clients, credential-provider-*, token-providers): ${kb(chain)} minified, ${share(chain)} of the API bundle.`);

      // A further option, measured but not shipped: it would stop pinning the SDK version.
      const externalSdk = await buildVariant(buildScript, join(outRoot, 'external-sdk'), { external: ['@aws-sdk/*', '@smithy/*'], sourcemap: false });
      printTable('Bundle size options', ['variant', 'minified', 'gzipped', 'vs 150 KB target'], [
        ['as built (env-only credentials alias)', kb(api.bytes), kb(api.gzipBytes), versusTarget(api.gzipBytes)],
        ['@aws-sdk/*, @smithy/* external (not shipped)', kb(externalSdk.bytes), kb(externalSdk.gzipBytes), versusTarget(externalSdk.gzipBytes)],
      ]);

      const bundles = [
        { name: 'node only (no bundle)', url: null },
        { name: 'floor: SDK clients only', url: pathToFileURL(join(outRoot, 'sdk-clients-only', 'index.mjs')).href },
        { name: 'API bundle', url: pathToFileURL(join(outRoot, 'api', 'index.mjs')).href },
      ];
      const samples = new Map(bundles.map((b) => [b.name, [] as (ChildReport & { fromSpawnMs: number })[]]));
      // One unmeasured start each (file cache), then interleave so drift hits every bundle alike.
      for (const b of bundles) await coldStart(b.url);
      for (let run = 0; run < RUNS; run++) {
        for (const b of bundles) samples.get(b.name)!.push(await coldStart(b.url));
      }
      const rows = bundles.map((b) => {
        const s = samples.get(b.name)!;
        return {
          name: b.name,
          spawn: median(s.map((r) => r.fromSpawnMs)),
          origin: median(s.map((r) => r.readyMs)),
          importMs: median(s.map((r) => r.importMs)),
          min: Math.min(...s.map((r) => r.fromSpawnMs)),
          max: Math.max(...s.map((r) => r.fromSpawnMs)),
        };
      });
      const floor = rows[1]!;
      printTable(`Cold start to first response, median of ${RUNS} fresh processes each`,
        ['bundle', 'spawn→response', 'time origin→response', 'import', 'min', 'max', 'vs floor'],
        rows.map((r) => [r.name, `${r.spawn.toFixed(1)} ms`, `${r.origin.toFixed(1)} ms`, `${r.importMs.toFixed(1)} ms`,
          `${r.min.toFixed(1)} ms`, `${r.max.toFixed(1)} ms`, `${(r.spawn / floor.spawn).toFixed(2)}x`]));
      const apiRow = rows[2]!;
      const ratio = apiRow.spawn / floor.spawn;
      console.log(`Target "cold start at most 1.3x the floor": ${ratio <= 1.3 ? 'MET' : 'MISSED'} (${ratio.toFixed(2)}x spawn→response, `
        + `${(apiRow.origin / floor.origin).toFixed(2)}x from the time origin; import ${(apiRow.importMs - floor.importMs).toFixed(1)} ms longer)`);
    } finally {
      rmSync(outRoot, { recursive: true, force: true });
    }
  },
};

function versusTarget(gzipBytes: number): string {
  const over = (gzipBytes - GZIP_TARGET_BYTES) / 1024;
  return over > 0 ? `${over.toFixed(1)} KB over` : `${(-over).toFixed(1)} KB under`;
}
