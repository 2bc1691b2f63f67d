import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import { categoryCount } from '../../domain/month-totals.js';
import { TOKENS, type CategoryRepository, type LedgerRepository } from '../ports.js';

export interface CategoryUsage {
  /** Expenses in the category, across every month. */
  expenses: number;
  months: number;
  /** Whether the budget has a limit on it (a delete is refused until it goes). */
  limited: boolean;
}

/**
 * What deleting a category would move: counted from the month items (one query over the user's
 * months, never their expenses), for the page's "move N expenses" confirmation.
 */
@injectable()
export class GetCategoryUsage {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
  ) {}

  async execute(userId: string, id: string): Promise<CategoryUsage> {
    const [{ categories }, months, budget] = await Promise.all([
      this.categories.getCategories(userId), this.ledger.listMonths(userId), this.ledger.getBudget(userId),
    ]);
    if (!categories.some((c) => c.id === id)) throw new NotFoundError(`No category with id ${id}`);
    return { ...categoryCount(months.map((m) => m.totals), id), limited: budget.record.budget.categoryLimits[id] !== undefined };
  }
}
