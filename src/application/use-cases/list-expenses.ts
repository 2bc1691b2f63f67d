import { inject, injectable } from 'inversify';
import { TOKENS, type ExpensePage, type LedgerRepository, type ListExpensesQuery } from '../ports.js';

@injectable()
export class ListExpenses {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  /** The page and the budget's currency, whose decimals its amounts are shown with. */
  async execute(userId: string, query: ListExpensesQuery): Promise<ExpensePage & { currency: string }> {
    const [page, budget] = await Promise.all([this.ledger.listExpenses(userId, query), this.ledger.getBudget(userId)]);
    return { ...page, currency: budget.record.budget.currency };
  }
}
