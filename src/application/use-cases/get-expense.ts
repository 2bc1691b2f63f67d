import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import type { Expense } from '../../domain/expense.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

@injectable()
export class GetExpense {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  async execute(userId: string, id: string): Promise<Expense> {
    const expense = await this.ledger.getExpense(userId, id);
    if (!expense) throw new NotFoundError(`No expense with id ${id}`);
    return expense;
  }
}
