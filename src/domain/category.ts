import { ValidationError } from './errors.js';
import { normalizeFreeText } from './text.js';

/**
 * A user's category. Expenses, limits and alerts refer to its `id`, which never changes, so a
 * rename costs one small write however long the history is.
 */
export interface Category {
  id: string;
  name: string;
  /** #rrggbb */
  color: string;
  /** Hidden from the add form and closed to new expenses; its history stays. */
  archived: boolean;
}

/** The ten categories every user starts with. Their ids are their names, as stored before categories were the user's own. */
export const DEFAULT_CATEGORY_NAMES = [
  'Food', 'Transport', 'Housing', 'Utilities', 'Health',
  'Entertainment', 'Shopping', 'Travel', 'Education', 'Other',
] as const;

/** The defaults' colours, then more for new categories; each at least 4.5:1 against white. */
export const PALETTE = [
  '#2e7d32', '#1565c0', '#6a1b9a', '#00838f', '#c2185b', '#ef6c00', '#5d4037', '#283593', '#827717', '#546e7a',
  '#ad1457', '#00695c', '#4527a0', '#9e2a2b', '#37474f', '#1b5e20', '#0d47a1', '#880e4f', '#3e2723', '#33691e',
];

export const MAX_CATEGORIES = 100;
export const MAX_CATEGORY_NAME_LENGTH = 40;
/** Ids are stored as object keys (month totals, limits): `__proto__` would change an object's prototype instead. */
export const CATEGORY_ID = /^(?!__proto__$)[A-Za-z0-9_-]{1,40}$/;
export const COLOR = /^#[0-9a-f]{6}$/i;

export function defaultCategories(): Category[] {
  return DEFAULT_CATEGORY_NAMES.map((name, i) => ({ id: name, name, color: PALETTE[i]!, archived: false }));
}

/** Names compare trimmed, in NFC and case-folded: "Café", " café" and "CAFÉ" are one name. */
export function nameKey(name: string): string {
  // Upper then lower folds what lowercasing alone leaves apart (ß and SS, final and medial sigma).
  return name.toUpperCase().toLowerCase();
}

/** The name as stored (trimmed, NFC), or a ValidationError naming `name`. */
export function categoryName(value: unknown): string {
  const normalized = typeof value === 'string' ? normalizeFreeText(value) : null;
  if (normalized === null || normalized.length === 0 || [...normalized].length > MAX_CATEGORY_NAME_LENGTH) {
    throw new ValidationError({ name: `must be 1 to ${MAX_CATEGORY_NAME_LENGTH} characters of one line of text, without control or invisible characters` }, 'Invalid field: name');
  }
  return normalized;
}

/** The first palette colour no category uses yet; the palette repeats once all are taken. */
export function nextColor(categories: Category[]): string {
  const used = new Set(categories.map((c) => c.color.toLowerCase()));
  return PALETTE.find((color) => !used.has(color)) ?? PALETTE[categories.length % PALETTE.length]!;
}

/** Ids a new expense or limit may use: the categories not archived. */
export function activeCategoryIds(categories: Category[]): string[] {
  return categories.filter((c) => !c.archived).map((c) => c.id);
}

/** What a field must be when it names a category that cannot take it. */
export function categoryProblem(id: string, categories: Category[] | null, activeIds: readonly string[]): string {
  const known = categories?.find((c) => c.id === id);
  if (known?.archived) return `category ${JSON.stringify(known.name)} is archived: unarchive it to use it again`;
  return `is not one of your categories (${activeIds.length <= 12 ? activeIds.join(', ') : 'see GET /api/categories'})`;
}
