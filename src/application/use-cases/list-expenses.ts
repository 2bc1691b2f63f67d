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
    // The three reads go out together; the filter's check only needs the categories read when there is a filter.
    const [categories, page, budget] = await Promise.all([
      query.category === undefined ? null : this.categories.getCategories(userId), this.ledger.listExpenses(userId, query), this.ledger.getBudget(userId),
    ]);
    if (categories && !categories.categories.some((c) => c.id === query.category)) {
      throw new ValidationError({ category: 'is not one of your categories (GET /api/categories lists them)' }, 'Invalid query parameter: category');
    }
    return { ...page, currency: budget.record.budget.currency };
  }
}
