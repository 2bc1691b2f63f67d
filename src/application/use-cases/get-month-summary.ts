import { inject, injectable } from 'inversify';
import { addMonths } from '../../domain/expense.js';
import { forecastIn, RATE_HISTORY_MONTHS } from '../../domain/forecast.js';
import { unwrittenMonth } from '../../domain/month-totals.js';
import { summarize, upcomingBy, upcomingIn, type MonthSummary } from '../../domain/summary.js';
import { localDate } from '../../domain/time-zone.js';
import { TOKENS, type Clock, type LedgerRepository, type RecurrenceRepository } from '../ports.js';

/**
 * Two small reads side by side, eventually consistent, whatever the month holds: the budget, and
 * the month with up to three months before it (a month never written takes its carry from the
 * latest one before it; the current month's forecast averages the three). A third, of the
 * recurring expenses, only for a user who has some and a month not over yet.
 */
@injectable()
export class GetMonthSummary {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(userId: string, month: string): Promise<MonthSummary> {
    const [{ record }, recent] = await Promise.all([
      this.ledger.getBudget(userId, false),
      this.ledger.getRecentMonths(userId, month, RATE_HISTORY_MONTHS + 1, false),
    ]);
    const { budget, carryPlans } = record;
    const stored = recent[0]?.totals.month === month ? recent[0].totals : null;
    const before = recent.map((m) => m.totals).filter((totals) => totals.month < month);
    const totals = stored ?? unwrittenMonth(month, before[0] ?? null, carryPlans);
    const today = localDate(this.clock.now(), budget.timeZone);
    // A month already over has nothing still to come: its summary does not read the recurring expenses.
    const upcoming = record.recurringCount > 0 && month >= today.slice(0, 7) ? upcomingIn(await this.recurrences.listForDisplay(userId), month) : undefined;
    if (today.slice(0, 7) !== month) return summarize(totals, budget, carryPlans, upcoming);
    const history = before.filter((t) => t.month >= addMonths(month, -RATE_HISTORY_MONTHS) && t.count > 0);
    const upcomingOf = upcomingBy(upcoming ?? { total: 0, items: [] });
    return summarize(totals, budget, carryPlans, upcoming, (scope) => forecastIn(totals, scope, today, history, upcomingOf(scope)));
  }
}
