import { randomBytes } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { MAX_CATEGORIES, nameKey, nextColor, type Category } from '../../domain/category.js';
import { CategoryExistsError, TooManyCategoriesError } from '../../domain/errors.js';
import { CategoryWriter } from '../category-write.js';

@injectable()
export class CreateCategory {
  constructor(@inject(CategoryWriter) private readonly writer: CategoryWriter) {}

  /** `name` is already in its stored form (trimmed, NFC). */
  execute(userId: string, input: { name: string; color?: string }): Promise<Category> {
    // 72 random bits, URL-safe: 12 characters that never change and never meet another id.
    const id = randomBytes(9).toString('base64url');
    return this.writer.change(userId, (stored) => {
      if (stored.some((c) => nameKey(c.name) === nameKey(input.name))) throw new CategoryExistsError(input.name);
      if (stored.length >= MAX_CATEGORIES) throw new TooManyCategoriesError(MAX_CATEGORIES);
      const category: Category = { id, name: input.name, color: input.color ?? nextColor(stored), archived: false };
      return { categories: [...stored, category], result: category };
    });
  }
}
