import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import type { Expense } from '../../domain/expense.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

@injectable()
export class GetExpense {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  /** The expense and the budget's currency, whose decimals its amount is shown with. */
  async execute(userId: string, id: string): Promise<{ expense: Expense; currency: string }> {
    const [expense, budget] = await Promise.all([this.ledger.getExpense(userId, id), this.ledger.getBudget(userId)]);
    if (!expense) throw new NotFoundError(`No expense with id ${id}`);
    return { expense, currency: budget.record.budget.currency };
  }
}
