import { inject, injectable } from 'inversify';
import { nameKey, type Category } from '../../domain/category.js';
import { CategoryExistsError, NotFoundError } from '../../domain/errors.js';
import { CategoryWriter } from '../category-write.js';

/**
 * Renames, recolours, archives or unarchives a category. One small write whatever the history:
 * expenses, limits and alerts hold the id, so every past expense shows the new name.
 */
@injectable()
export class UpdateCategory {
  constructor(@inject(CategoryWriter) private readonly writer: CategoryWriter) {}

  execute(userId: string, id: string, patch: { name?: string; color?: string; archived?: boolean }): Promise<Category> {
    return this.writer.change(userId, (stored) => {
      const current = stored.find((c) => c.id === id);
      if (!current) throw new NotFoundError(`No category with id ${id}`);
      if (patch.name !== undefined && stored.some((c) => c.id !== id && nameKey(c.name) === nameKey(patch.name!))) throw new CategoryExistsError(patch.name);
      const updated: Category = { ...current, ...patch };
      return { categories: stored.map((c) => (c.id === id ? updated : c)), result: updated };
    });
  }
}
