import { inject, injectable } from 'inversify';
import { nameAlerts, raiseAlerts, type Alert } from '../domain/alert.js';
import type { Budget } from '../domain/budget.js';
import type { CarryPlans } from '../domain/carry.js';
import { addMonths } from '../domain/expense.js';
import { forecastIn, RATE_HISTORY_MONTHS } from '../domain/forecast.js';
import { carrySpentFrom, emptyMonth, type MonthTotals } from '../domain/month-totals.js';
import type { Recurrence } from '../domain/recurrence.js';
import { upcomingBy, upcomingIn } from '../domain/summary.js';
import { localDate } from '../domain/time-zone.js';
import { TOKENS, type BudgetRecord, type CategoryRepository, type LedgerChange, type LedgerRepository, type RecurrenceRepository, type VersionedBudget, type VersionedMonth } from './ports.js';

/** The budget a write decides with, and its carry-over plans. */
export interface BudgetRules {
  budget: Budget;
  plans: CarryPlans;
}

export function rulesOf(record: BudgetRecord): BudgetRules {
  return { budget: record.budget, plans: record.carryPlans };
}

/** What a write read before deciding (see MonthWriter.read). */
export interface MonthsRead {
  budget: VersionedBudget;
  rules: BudgetRules;
  /** Every month read, by month: those the write touches (empty at version 0 when never written) and those its decision needs. */
  months: Map<string, VersionedMonth>;
  /** The first month whose carry this write changes, and every later one: null when no carry-over scope had started by the months touched. */
  carryFrom: string | null;
  /** The current month, when the write moves its forecast (forecast thresholds set, and the write touched it, its run rate's months, or its carry). */
  forecastMonth: string | null;
  /**
   * The latest month written before `chainFrom` (null: none), read when that month's own carry
   * bookkeeping cannot be trusted (it was never written, or the plans change with this write).
   */
  previous?: MonthTotals | null;
  /** The month the carry bookkeeping is recomputed from: `carryFrom`, or the forecast month's. */
  chainFrom: string | null;
  /** The user's recurring expenses, read when a forecast needs what is still due. */
  recurrences: Recurrence[];
}

/**
 * The month side of every write: what to read, and which month items to write with which alerts.
 *
 * Why the reads are consistent: every write that changes a user's months, recurrences or budget
 * also writes the budget item, conditional on its version. A write reads the budget first (a
 * strongly consistent GetItem) and everything else after it, so anything committed before that
 * read is in what it reads next, and anything committed after it makes this write's commit fail
 * (and retry). That covers what a write reads without writing: later months, the run rate's months
 * and the recurring expenses, with no ConditionCheck for each.
 */
@injectable()
export class MonthWriter {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
  ) {}

  /**
   * Reads the budget, then the months a write to `touched` needs: those months; with carry-over,
   * every later month (their carry changes); with forecasts, the current month and the three
   * before it (its run rate). `rulesFor` gives the rules to decide with (a budget save's new ones);
   * `budget`, the budget when the caller has just read it (strongly, and before calling).
   */
  async read(userId: string, touched: string[], now: Date, options: { rulesFor?: (record: BudgetRecord) => BudgetRules; budget?: VersionedBudget } = {}): Promise<MonthsRead> {
    const budget = options.budget ?? await this.ledger.getBudget(userId);
    const rules = (options.rulesFor ?? rulesOf)(budget.record);
    const plans = Object.values(rules.plans);
    const current = localDate(now, rules.budget.timeZone).slice(0, 7);
    const historyFrom = addMonths(current, -RATE_HISTORY_MONTHS);
    const carryFrom = [...touched].sort().find((month) => plans.some((plan) => plan.since <= month)) ?? null;
    const forecastMonth = rules.budget.forecastThresholds.length > 0
      && (touched.some((month) => month >= historyFrom && month <= current) || (carryFrom !== null && carryFrom <= current)) ? current : null;
    // The current month's carry is recomputed too when a forecast evaluates it.
    const chainFrom = carryFrom ?? (forecastMonth && plans.length ? forecastMonth : null);

    const starts = [...(carryFrom ? [carryFrom] : []), ...(forecastMonth ? [historyFrom] : [])].sort();
    const rangeFrom = starts[0] ?? null;
    const rangeTo = carryFrom ? null : forecastMonth;
    const inRange = (month: string) => rangeFrom !== null && month >= rangeFrom && (rangeTo === null || month <= rangeTo);
    const [range, others, recurrences] = await Promise.all([
      rangeFrom ? this.ledger.getMonthRange(userId, rangeFrom, rangeTo) : [],
      this.ledger.getMonths(userId, [...new Set(touched.filter((month) => !inRange(month)))]),
      forecastMonth && budget.record.recurringCount > 0 ? this.recurrences.list(userId) : [],
    ]);
    const months = new Map<string, VersionedMonth>();
    for (const month of [...range, ...others]) months.set(month.totals.month, month);
    for (const month of touched) if (!months.has(month)) months.set(month, { totals: emptyMonth(month), version: 0 });

    const read: MonthsRead = { budget, rules, months, carryFrom, forecastMonth, chainFrom, recurrences: recurrences.map((r) => r.recurrence) };
    if (chainFrom && ((months.get(chainFrom)?.version ?? 0) === 0 || rules.plans !== budget.record.carryPlans)) {
      const below = [...range].reverse().find((month) => month.totals.month < chainFrom);
      read.previous = below ? below.totals : (await this.ledger.getRecentMonths(userId, addMonths(chainFrom, -1), 1, true))[0]?.totals ?? null;
    }
    return read;
  }

  /**
   * The month writes of a change: `changed` are the touched months' new totals (written whatever
   * they hold). The carry bookkeeping of every month from `chainFrom` on is recomputed, and the
   * alert rule applied to the changed months, every later month when carry changed, and the
   * current month's forecast; months whose totals moved are written, each only if still at the
   * version read. Category scopes are named as now (read only when a write raises one).
   */
  async plan(
    userId: string, read: MonthsRead, changed: MonthTotals[], now: Date,
    options: {
      /** Months before this one record their alerts as suppressed: an import emails nobody about last year. */
      suppressBefore?: string;
      /** A recurrence as this write leaves it (an occurrence moves it on): what is still due counts it so. */
      recurrence?: Recurrence;
    } = {},
  ): Promise<Pick<LedgerChange, 'months' | 'newAlerts'>> {
    const { budget, plans } = read.rules;
    const after = new Map<string, MonthTotals>([...read.months].map(([month, { totals }]) => [month, totals]));
    for (const totals of changed) after.set(totals.month, totals);
    if (read.forecastMonth && !after.has(read.forecastMonth)) after.set(read.forecastMonth, emptyMonth(read.forecastMonth));

    if (read.chainFrom) {
      const chained = [...after.values()].filter((totals) => totals.month >= read.chainFrom!).sort((a, b) => (a.month < b.month ? -1 : 1));
      let previous = read.previous;
      for (const totals of chained) {
        // Unless read, the first month's own bookkeeping stands: this write changed nothing before it.
        const carrySpent = previous === undefined ? totals.carrySpent : carrySpentFrom(previous, totals.month, plans);
        const next = { ...totals, carrySpent };
        after.set(totals.month, next);
        previous = next;
      }
    }

    const evaluated = new Set(changed.map((totals) => totals.month));
    if (read.carryFrom) for (const month of after.keys()) if (month >= read.carryFrom) evaluated.add(month);
    if (read.forecastMonth) evaluated.add(read.forecastMonth);
    const forecastOf = read.forecastMonth ? this.forecaster(read, after, now, options.recurrence) : undefined;

    const months: LedgerChange['months'] = [];
    const newAlerts: Alert[] = [];
    for (const [month, totals] of [...after].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const raised = evaluated.has(month)
        ? raiseAlerts(totals, budget, plans, now, {
          suppressed: options.suppressBefore !== undefined && month < options.suppressBefore,
          ...(month === read.forecastMonth ? { forecast: forecastOf } : {}),
        })
        : { alerts: [], totals };
      const before = read.months.get(month);
      const isChanged = changed.some((c) => c.month === month);
      if (!isChanged && raised.alerts.length === 0 && before && sameCarrySpent(before.totals, raised.totals)) continue;
      if (!isChanged && raised.alerts.length === 0 && !before) continue;
      months.push({ totals: raised.totals, expectedVersion: before?.version ?? 0 });
      newAlerts.push(...raised.alerts);
    }
    if (!newAlerts.some((alert) => alert.scope !== 'total')) return { months, newAlerts };
    const { categories: list } = await this.categories.getCategories(userId);
    return { months, newAlerts: nameAlerts(newAlerts, new Map(list.map((c) => [c.id, c.name]))) };
  }

  /** Each scope's month-end forecast for the current month, from the months as this write leaves them. */
  private forecaster(read: MonthsRead, after: Map<string, MonthTotals>, now: Date, advanced?: Recurrence): (scope: string) => number {
    const month = read.forecastMonth!;
    const today = localDate(now, read.rules.budget.timeZone);
    const history = [...after.values()].filter((t) => t.month < month && t.month >= addMonths(month, -RATE_HISTORY_MONTHS) && t.count > 0);
    const recurrences = read.recurrences.map((r) => (advanced && r.id === advanced.id ? advanced : r));
    const upcoming = upcomingBy(upcomingIn(recurrences, month));
    const totals = after.get(month)!;
    return (scope) => forecastIn(totals, scope, today, history, upcoming(scope));
  }
}

/**
 * How many items a bulk write (a merge's or an import's batch of at most `largest`) may take in
 * one month: the month items a plan on `read` may write beyond the touched one need their room in
 * its transaction. At least one, so every batch moves on.
 */
export function batchRoom(read: MonthsRead, largest: number): number {
  const forecastOnly = read.forecastMonth && !read.months.has(read.forecastMonth) ? 1 : 0;
  return Math.max(1, largest - (read.months.size - 1 + forecastOnly));
}

function sameCarrySpent(a: MonthTotals, b: MonthTotals): boolean {
  const keys = new Set([...Object.keys(a.carrySpent), ...Object.keys(b.carrySpent)]);
  return [...keys].every((key) => a.carrySpent[key] === b.carrySpent[key]);
}
