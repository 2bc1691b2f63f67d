// What recurring expenses cost on DynamoDB Local: an occurrence made by the scheduled run, and the
// summary of a month for a user who has recurring expenses (it also reads them, for "upcoming").
import type { Container } from 'inversify';
import { TOKENS } from '../src/application/ports.js';
import { GetMonthSummary } from '../src/application/use-cases/get-month-summary.js';
import { CreateRecurrence } from '../src/application/use-cases/recurrences.js';
import { RunDueRecurrences } from '../src/application/use-cases/run-recurrences.js';
import type { CapacityMeter } from './cost-per-operation.js';

const OCCURRENCES = 30;

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export async function measureRecurring(meter: CapacityMeter, container: Container): Promise<void> {
  const user = 'bench-recurring';
  const clock = { current: new Date('2025-11-01T09:00:00Z') };
  container.rebind(TOKENS.Clock).toConstantValue({ now: () => new Date(clock.current) });
  try {
    await container.get(CreateRecurrence).execute(user, { expense: { amount: 4.5, category: 'Food', description: 'coffee' }, schedule: { frequency: 'daily', interval: 1, startDate: '2025-11-02', weekend: 'none' } });
    await container.get(CreateRecurrence).execute(user, { expense: { amount: 900, category: 'Housing', description: 'rent' }, schedule: { frequency: 'monthly', interval: 1, startDate: '2025-12-01', weekend: 'none' } });
    clock.current = new Date(`2025-12-01T09:00:00Z`);
    meter.reset();
    const started = performance.now();
    const run = await container.get(RunDueRecurrences).execute();
    const ms = performance.now() - started;
    const perOccurrence = { rcu: meter.rcu / run.made, wcu: meter.wcu / run.made, requests: meter.requests / run.made };
    meter.reset();
    const summary = await container.get(GetMonthSummary).execute(user, '2025-12');
    console.log(`\nRecurring expenses: one scheduled run made ${run.made} occurrences (${OCCURRENCES} daily and one rent) in ${(ms / 1000).toFixed(1)} s: `
      + `${fmt(perOccurrence.rcu)} RCU, ${fmt(perOccurrence.wcu)} WCU, ${fmt(perOccurrence.requests)} requests per occurrence`);
    console.log(`  summary of a month with ${summary.upcoming.items.length} upcoming occurrences (the user has recurring expenses): ${fmt(meter.rcu)} RCU, ${meter.requests} requests`);
  } finally {
    container.rebind(TOKENS.Clock).toConstantValue({ now: () => new Date() });
  }
}
