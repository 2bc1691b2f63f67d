import { inject, injectable } from 'inversify';
import { ValidationError } from '../../domain/errors.js';
import { TOKENS, type CategoryRepository, type ExpensePage, type LedgerRepository, type ListExpensesQuery } from '../ports.js';

@injectable()
export class ListExpenses {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
  ) {}

  /**
   * The page and the budget's currency, whose decimals its amounts are shown with. A category
   * filter must name one of the user's categories (archived ones included: their history lists).
   */
  async execute(userId: string, query: ListExpensesQuery): Promise<ExpensePage & { currency: string }> {
    if (query.category !== undefined && !(await this.categories.getCategories(userId)).categories.some((c) => c.id === query.category)) {
      throw new ValidationError({ category: 'is not one of your categories (GET /api/categories lists them)' }, 'Invalid query parameter: category');
    }
    const [page, budget] = await Promise.all([this.ledger.listExpenses(userId, query), this.ledger.getBudget(userId)]);
    return { ...page, currency: budget.record.budget.currency };
  }
}
