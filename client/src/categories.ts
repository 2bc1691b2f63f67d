/** The user's categories as the page uses them: names and colours by id, the ones open to new expenses. */
import type { Category, CategoryItem } from './types.js';

/** What every user starts with (the server's defaults), shown until GET /api/categories answers. */
export const DEFAULT_CATEGORIES: readonly CategoryItem[] = [
  ['Food', '#2e7d32'], ['Transport', '#1565c0'], ['Housing', '#6a1b9a'], ['Utilities', '#00838f'], ['Health', '#c2185b'],
  ['Entertainment', '#ef6c00'], ['Shopping', '#5d4037'], ['Travel', '#283593'], ['Education', '#827717'], ['Other', '#546e7a'],
].map(([name, color]) => ({ id: name!, name: name!, color: color!, archived: false }));

const FALLBACK_COLOR = '#546e7a';

/** A category's name; an id the list does not know (deleted meanwhile) shows as itself. */
export function categoryName(categories: readonly CategoryItem[], id: Category): string {
  return categories.find((c) => c.id === id)?.name ?? id;
}

export function categoryColor(categories: readonly CategoryItem[], id: Category): string {
  return categories.find((c) => c.id === id)?.color ?? FALLBACK_COLOR;
}

/** The categories an expense may be put in: not archived, plus `keep` (an edited expense's own, even archived). */
export function selectableCategories(categories: readonly CategoryItem[], keep?: Category): CategoryItem[] {
  return categories.filter((c) => !c.archived || c.id === keep);
}
