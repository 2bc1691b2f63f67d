import { inject, injectable } from 'inversify';
import { DEFAULT_BUDGET } from '../../domain/budget.js';
import { summarize, type MonthSummary } from '../../domain/summary.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

/** One small read whatever the month holds: the running totals and the budget. */
@injectable()
export class GetMonthSummary {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  async execute(userId: string, month: string): Promise<MonthSummary> {
    const { totals, budget } = await this.ledger.getMonthAndBudget(userId, month);
    return summarize(totals, budget ?? DEFAULT_BUDGET);
  }
}
