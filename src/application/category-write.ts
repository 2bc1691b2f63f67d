import { inject, injectable } from 'inversify';
import { activeCategoryIds, type Category } from '../domain/category.js';
import type { WriteRateLimit } from '../domain/write-rate.js';
import { budgetWrite, retryOnConflict, UserWriteQueue } from './ledger-write.js';
import { TOKENS, type CategoryRepository, type Clock, type LedgerRepository } from './ports.js';

/**
 * A read-decide-write of a user's categories: `decide` gets the list as stored and returns the new
 * list (or throws). The list and the budget (the active ids every expense write checks, and the
 * write-rate bucket this change spends from) are saved together, each only if unchanged since read.
 */
@injectable()
export class CategoryWriter {
  constructor(
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  change<T>(userId: string, decide: (stored: Category[]) => { categories: Category[]; result: T }): Promise<T> {
    const now = this.clock.now();
    return this.writes.run(userId, () => retryOnConflict(async () => {
      const [stored, budget] = await Promise.all([this.categories.getCategories(userId), this.ledger.getBudget(userId)]);
      const { categories, result } = decide(stored.categories);
      const charged = budgetWrite(budget, this.writeRateLimit, now);
      await this.categories.saveCategories(userId, {
        categories,
        expectedVersion: stored.version,
        budget: { record: { ...charged.record, categoryIds: activeCategoryIds(categories) }, expectedVersion: charged.expectedVersion },
      });
      return result;
    }));
  }
}
