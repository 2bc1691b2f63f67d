import { inject, injectable } from 'inversify';
import { DEFAULT_BUDGET } from '../../domain/budget.js';
import { summarize, type MonthSummary } from '../../domain/summary.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

/** Two small reads whatever the month holds: the running totals and the budget. */
@injectable()
export class GetMonthSummary {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  async execute(userId: string, month: string): Promise<MonthSummary> {
    const [[versioned], budget] = await Promise.all([this.ledger.getMonths(userId, [month]), this.ledger.getBudget(userId)]);
    return summarize(versioned!.totals, budget ?? DEFAULT_BUDGET);
  }
}
