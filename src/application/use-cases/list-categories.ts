import { inject, injectable } from 'inversify';
import type { Category } from '../../domain/category.js';
import { TOKENS, type CategoryRepository } from '../ports.js';

/** Every category of the user, archived ones included, in the order they were created. */
@injectable()
export class ListCategories {
  constructor(@inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository) {}

  async execute(userId: string): Promise<Category[]> {
    return (await this.categories.getCategories(userId)).categories;
  }
}
