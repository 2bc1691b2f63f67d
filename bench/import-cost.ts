// What a CSV import costs on DynamoDB Local: 10,000 rows over twelve months, uploaded, previewed and
// committed through the use cases the API calls, against adding the same rows one by one.
import type { Container } from 'inversify';
import { parseCsvFile } from '../src/adapters/csv/csv-import.js';
import { CommitImport } from '../src/application/use-cases/commit-import.js';
import { GetMonthSummary } from '../src/application/use-cases/get-month-summary.js';
import { PreviewImport } from '../src/application/use-cases/preview-import.js';
import { StartImport } from '../src/application/use-cases/start-import.js';
import type { ImportSettings } from '../src/domain/import-rows.js';
import type { CapacityMeter } from './cost-per-operation.js';

const ROWS = 10_000;
const GOALS = { wcuPerRow: 3.5, rcuPerRow: 0.1, seconds: 60 };

function fmt(value: number, digits = 2): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** A bank-statement-like file: ROWS rows over 2025, a few categories, realistic descriptions. */
function csvFile(): string {
  const categories = ['Groceries', 'Transport', 'Rent', 'Eating out', 'Pharmacy'];
  const lines = Array.from({ length: ROWS }, (_, i) => {
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    return `2025-${month}-${day},"Card payment ${i} at a shop, ref ${(i * 7919) % 100000}",${categories[i % categories.length]},${(1 + ((i * 7919) % 4900) / 100).toFixed(2)}`;
  });
  return `Date,Description,Category,Amount\n${lines.join('\n')}\n`;
}

export async function measureImport(meter: CapacityMeter, container: Container, addOneByOne: { rcu: number; wcu: number }): Promise<void> {
  const user = 'bench-import';
  const text = csvFile();
  meter.reset();
  let started = performance.now();
  const draft = await container.get(StartImport).execute(user, { fileName: 'bench.csv', ...parseCsvFile(text) });
  const upload = { rcu: meter.rcu, wcu: meter.wcu, ms: performance.now() - started };
  const settings = draft.suggestion.settings as ImportSettings;

  meter.reset();
  started = performance.now();
  const preview = await container.get(PreviewImport).execute(user, draft.record.id, settings, { offset: 0, limit: 100 });
  const previewCost = { rcu: meter.rcu, ms: performance.now() - started };

  meter.reset();
  started = performance.now();
  let requests = 0;
  let outcome;
  // As the page does: repeat while the server answers "committing" (it stops between batches after 20 s).
  do {
    outcome = await container.get(CommitImport).execute(user, draft.record.id, settings, { include: [], exclude: [] });
    requests++;
  } while (outcome.status === 'committing');
  const seconds = (performance.now() - started) / 1000;
  const commit = { rcu: meter.rcu, wcu: meter.wcu, requests: meter.requests };
  const months = await Promise.all(Array.from({ length: 12 }, (_, i) => container.get(GetMonthSummary).execute(user, `2025-${String(i + 1).padStart(2, '0')}`)));
  const count = months.reduce((sum, m) => sum + m.count, 0);

  const wcuPerRow = commit.wcu / ROWS;
  const rcuPerRow = commit.rcu / ROWS;
  console.log(`\nImport of ${ROWS.toLocaleString('en-US')} rows over 12 months (${(text.length / 1024).toFixed(0)} KB of CSV, ${preview.counts.ok} ok in the preview):`);
  console.log(`  upload: ${fmt(upload.rcu)} RCU, ${fmt(upload.wcu)} WCU, ${(upload.ms / 1000).toFixed(1)} s; preview: ${fmt(previewCost.rcu)} RCU, ${(previewCost.ms / 1000).toFixed(1)} s`);
  console.log(`  commit: ${outcome.imported.toLocaleString('en-US')} imported (${count.toLocaleString('en-US')} in the month totals) in ${seconds.toFixed(1)} s over ${requests} API requests, `
    + `${fmt(commit.rcu)} RCU, ${fmt(commit.wcu)} WCU, ${commit.requests} DynamoDB requests`);
  console.log(`  per row: ${fmt(wcuPerRow)} WCU, ${fmt(rcuPerRow, 3)} RCU; adding one by one: ${fmt(addOneByOne.wcu)} WCU, ${fmt(addOneByOne.rcu)} RCU per row`);
  console.log(`  Target "at most ${GOALS.wcuPerRow} WCU per row": ${wcuPerRow <= GOALS.wcuPerRow ? 'MET' : 'MISSED'}; "at most ${GOALS.rcuPerRow} RCU per row": ${rcuPerRow <= GOALS.rcuPerRow ? 'MET' : 'MISSED'}; `
    + `"under ${GOALS.seconds} s": ${seconds < GOALS.seconds ? 'MET' : 'MISSED'}`);
}
