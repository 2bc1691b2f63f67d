import { inject, injectable } from 'inversify';
import { addMonths } from '../../domain/expense.js';
import { TREND_MONTHS, trendsOf, type TrendMonth } from '../../domain/trends.js';
import { localMonth } from '../../domain/time-zone.js';
import { TOKENS, type Clock, type LedgerRepository } from '../ports.js';

/**
 * A year at a glance: the twelve months ending with `to` (the current month in the budget's time
 * zone when absent), from their month items only (never the expenses): one Query of at most twelve
 * small items, the latest month before them and the budget, all eventually consistent.
 */
@injectable()
export class GetTrends {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(userId: string, to?: string): Promise<{ currency: string; months: TrendMonth[] }> {
    const { record } = await this.ledger.getBudget(userId, false);
    const last = to ?? localMonth(this.clock.now(), record.budget.timeZone);
    const first = addMonths(last, -(TREND_MONTHS - 1));
    const [window, [before]] = await Promise.all([
      this.ledger.getMonthRange(userId, first, last, false),
      this.ledger.getRecentMonths(userId, addMonths(first, -1), 1, false),
    ]);
    return { currency: record.budget.currency, months: trendsOf(last, window.map((m) => m.totals), before?.totals ?? null, record.budget, record.carryPlans) };
  }
}
