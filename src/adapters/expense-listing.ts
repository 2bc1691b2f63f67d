import { ValidationError } from '../domain/errors.js';
import { isCalendarDate, monthOf, type Expense } from '../domain/expense.js';

/**
 * Listing order shared by every repository adapter: newest date first, then newest created,
 * then id, so pages never skip or repeat an expense. The cursor is the last listed key, opaque
 * to clients.
 */
export function listKey(expense: Expense): string {
  return `${expense.date}#${expense.createdAt}#${expense.id}`;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The list key a cursor points after; rejects a cursor that was not issued for this month (or range of months). */
export function decodeCursor(cursor: string, month: string, lastMonth = month): string {
  const key = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const parts = /^(\d{4}-\d{2}-\d{2})#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9-]{1,64}$/.exec(key);
  // Only the exact text encodeCursor produced for a real date of this month is accepted.
  const keyMonth = parts ? monthOf(parts[1]!) : '';
  if (!parts || !isCalendarDate(parts[1]!) || keyMonth < month || keyMonth > lastMonth || encodeCursor(key) !== cursor) {
    throw new ValidationError({ cursor: 'is not a cursor issued for this listing' });
  }
  return key;
}

export function expenseIdOfListKey(key: string): string {
  return key.slice(key.lastIndexOf('#') + 1);
}
