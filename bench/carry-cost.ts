// What carry-over and forecast alerts cost on DynamoDB Local: an ordinary add (today) for a user
// with both on (and recurring bills, whose still-due occurrences the forecast reads), backdated
// edits that rewrite the later months' carry, and the summary.
import type { Container } from 'inversify';
import { TOKENS } from '../src/application/ports.js';
import { AddExpense } from '../src/application/use-cases/add-expense.js';
import { GetMonthSummary } from '../src/application/use-cases/get-month-summary.js';
import { GetTrends } from '../src/application/use-cases/get-trends.js';
import { CreateRecurrence } from '../src/application/use-cases/recurrences.js';
import { SetBudget } from '../src/application/use-cases/set-budget.js';
import { UpdateExpense } from '../src/application/use-cases/update-expense.js';
import type { CapacityMeter } from './cost-per-operation.js';

const REPETITIONS = 5;

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

const budgetWith = (extra: object) => ({
  currency: 'USD', monthlyLimit: 300_000, categoryLimits: { Food: 60_000, Transport: 20_000 }, thresholds: [80, 100],
  alertEmail: null, timeZone: 'UTC', rollover: [], forecastThresholds: [], monthlyReport: false, ...extra,
});

/** `plainAdd`: what an add costs a user without carry-over or forecasts (measured by the main cost bench). */
export async function measureCarryAndForecast(meter: CapacityMeter, container: Container, plainAdd: { rcu: number; wcu: number; requests: number }): Promise<void> {
  const user = 'bench-carry';
  const clock = { current: new Date('2026-05-02T09:00:00Z') };
  container.rebind(TOKENS.Clock).toConstantValue({ now: () => new Date(clock.current) });
  try {
    const add = container.get(AddExpense);
    const expense = (amount: number, date: string, category = 'Food') => ({ amount: amount / 100, category, date, description: 'bench' });
    // Carrying starts in May 2026; eight months of spending follow, with rent and a gym as recurring bills.
    await container.get(SetBudget).execute(user, budgetWith({ rollover: ['total', 'Food'], forecastThresholds: [100] }) as never);
    const ids: Record<string, string> = {};
    for (let m = 5; m <= 12; m++) {
      const month = `2026-${String(m).padStart(2, '0')}`;
      // The clock only moves forward: the write-rate bucket refills between months.
      clock.current = new Date(m === 12 ? '2026-12-10T09:00:00Z' : `${month}-28T09:00:00Z`);
      for (let d = 1; d <= (m === 12 ? 9 : 20); d++) {
        const { expense: made } = await add.execute(user, expense(1_000 + d, `${month}-${String(d).padStart(2, '0')}`, d % 3 ? 'Food' : 'Transport'));
        ids[month] ??= made.id;
      }
    }
    await container.get(CreateRecurrence).execute(user, { expense: { amount: 900, category: 'Housing', description: 'rent' }, schedule: { frequency: 'monthly', interval: 1, startDate: '2026-12-25', weekend: 'none' } });
    await container.get(CreateRecurrence).execute(user, { expense: { amount: 30, category: 'Other', description: 'gym' }, schedule: { frequency: 'monthly', interval: 1, startDate: '2026-12-28', weekend: 'none' } });

    const costs: { rcu: number; wcu: number; requests: number }[] = [];
    for (let r = 0; r < REPETITIONS; r++) {
      meter.reset();
      await add.execute(user, expense(500 + r, '2026-12-10'));
      costs.push({ rcu: meter.rcu, wcu: meter.wcu, requests: meter.requests });
    }
    const worst = { rcu: Math.max(...costs.map((c) => c.rcu)), wcu: Math.max(...costs.map((c) => c.wcu)), requests: Math.max(...costs.map((c) => c.requests)) };
    console.log(`\nCarry-over (total and Food) and forecast alerts on, two recurring bills, eight months of history:`);
    console.log(`  add today: ${fmt(worst.rcu)} RCU, ${fmt(worst.wcu)} WCU, ${worst.requests} requests (without carry-over or forecasts: ${fmt(plainAdd.rcu)} RCU, ${fmt(plainAdd.wcu)} WCU, ${plainAdd.requests} requests)`);
    console.log(`  target "an add costs at most +1 RCU with forecasts, and the same WCU with carry-over": ${worst.rcu <= plainAdd.rcu + 1 && worst.wcu <= plainAdd.wcu ? 'MET' : 'MISSED'}`);

    for (const month of ['2026-11', '2026-09', '2026-05']) {
      meter.reset();
      await container.get(UpdateExpense).execute(user, ids[month]!, expense(2_000, `${month}-01`));
      const later = 12 - Number(month.slice(5, 7));
      console.log(`  backdated edit in ${month} (${later} later month${later === 1 ? '' : 's'} to carry into): ${fmt(meter.rcu)} RCU, ${fmt(meter.wcu)} WCU, ${meter.requests} requests`);
    }
    meter.reset();
    const summary = await container.get(GetMonthSummary).execute(user, '2026-12');
    console.log(`  summary of December (carry ${fmt(summary.budget!.carry / 100)}, forecast ${fmt(summary.budget!.forecast! / 100)}, ${summary.upcoming.items.length} bills still due): ${fmt(meter.rcu)} RCU, ${meter.requests} requests`);
    meter.reset();
    await container.get(GetMonthSummary).execute(user, '2026-08');
    console.log(`  summary of a past month with carry (August): ${fmt(meter.rcu)} RCU, ${meter.requests} requests`);
    meter.reset();
    const trends = await container.get(GetTrends).execute(user);
    console.log(`  trends (${trends.months.length} months, ${trends.months.filter((m) => m.count > 0).length} with expenses): ${fmt(meter.rcu)} RCU, ${meter.requests} requests; target "at most 6 RCU": ${meter.rcu <= 6 ? 'MET' : 'MISSED'}`);
  } finally {
    container.rebind(TOKENS.Clock).toConstantValue({ now: () => new Date() });
  }
}
