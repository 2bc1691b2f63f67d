import { inject, injectable } from 'inversify';
import { ConcurrentChangeError, type CategoryRepository, type VersionedCategories } from '../../application/ports.js';
import { defaultCategories, type Category } from '../../domain/category.js';
import { InMemoryLedgerRepository } from './memory-ledger-repository.js';

/**
 * Categories in process memory, for tests and `STORAGE=memory`. The budget lives in the in-memory
 * ledger; a save checks and writes both in one synchronous step, as DynamoDB's transaction does.
 */
@injectable()
export class InMemoryCategoryRepository implements CategoryRepository {
  private readonly lists = new Map<string, VersionedCategories>();

  constructor(@inject(InMemoryLedgerRepository) private readonly ledger: InMemoryLedgerRepository) {}

  async getCategories(userId: string): Promise<VersionedCategories> {
    return structuredClone(this.lists.get(userId) ?? { categories: defaultCategories(), version: 0 });
  }

  async saveCategories(userId: string, change: Parameters<CategoryRepository['saveCategories']>[1]): Promise<void> {
    if ((this.lists.get(userId)?.version ?? 0) !== change.expectedVersion) throw new ConcurrentChangeError();
    this.ledger.commitBudget(userId, change.budget);
    this.lists.set(userId, { categories: structuredClone(change.categories) as Category[], version: change.expectedVersion + 1 });
  }
}
