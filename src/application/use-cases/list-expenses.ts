import { inject, injectable } from 'inversify';
import { TOKENS, type ExpensePage, type LedgerRepository, type ListExpensesQuery } from '../ports.js';

@injectable()
export class ListExpenses {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  execute(userId: string, query: ListExpensesQuery): Promise<ExpensePage> {
    return this.ledger.listExpenses(userId, query);
  }
}
