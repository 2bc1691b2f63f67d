import { inject, injectable } from 'inversify';
import { DEFAULT_BUDGET } from '../../domain/budget.js';
import { summarize, upcomingIn, type MonthSummary } from '../../domain/summary.js';
import { TOKENS, type LedgerRepository, type RecurrenceRepository } from '../ports.js';

/**
 * One small read whatever the month holds: the running totals and the budget; a second, of the
 * recurring expenses (eventually consistent), only for a user who has some.
 */
@injectable()
export class GetMonthSummary {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
  ) {}

  async execute(userId: string, month: string): Promise<MonthSummary> {
    const { totals, budget, hasRecurring } = await this.ledger.getMonthAndBudget(userId, month);
    const upcoming = hasRecurring ? upcomingIn(await this.recurrences.listForDisplay(userId), month) : undefined;
    return summarize(totals, budget ?? DEFAULT_BUDGET, upcoming);
  }
}
