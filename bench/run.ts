// `npm run bench` runs every benchmark; `npm run bench -- <name> [<name>...]` runs the named ones.
// Benchmarks are never part of `npm test`: they take minutes, start DynamoDB Local and Chromium,
// and their figures depend on the machine (printed first).
import { arch, cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import type { Benchmark } from './benchmark.js';
import { clientBenchmark } from './client.js';
import { coldStartBenchmark } from './cold-start.js';
import { costPerOperationBenchmark } from './cost-per-operation.js';
import { handlerThroughputBenchmark } from './handler-throughput.js';
import { localStackLoadBenchmark } from './local-stack-load.js';
import { reportRunBenchmark } from './report-run.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const benchmarks: Benchmark[] = [
  costPerOperationBenchmark,
  handlerThroughputBenchmark,
  coldStartBenchmark,
  localStackLoadBenchmark,
  reportRunBenchmark,
  clientBenchmark,
];

const requested = process.argv.slice(2).filter((arg) => arg !== '--');
const unknown = requested.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = requested.length ? benchmarks.filter((b) => requested.includes(b.name)) : benchmarks;

const cpu = cpus();
console.log('Machine');
console.log(`  CPU      ${cpu[0]?.model ?? 'unknown'} (${cpu.length} logical cores)`);
console.log(`  Memory   ${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free`);
console.log(`  OS       ${platform()} ${release()} ${arch()}`);
console.log(`  Node     ${process.version}`);
console.log(`  Started  ${new Date().toISOString()}`);
// Other work on the machine skews every timing here (capacity units are not affected): show it.
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`  Load     ${load()} (1, 5, 15 min averages)`);

let failed = 0;
for (const benchmark of selected) {
  console.log(`\n=== ${benchmark.name}: ${benchmark.title} ===`);
  const started = performance.now();
  try {
    await benchmark.run();
    console.log(`(${benchmark.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    console.error(`${benchmark.name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}
console.log(`\nLoad average at the end: ${load()}`);
if (failed) {
  console.error(`\n${failed} benchmark(s) failed`);
  process.exitCode = 1;
}
