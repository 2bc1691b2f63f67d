import { inject, injectable } from 'inversify';
import type { ExpenseExportPage, ExpenseExportReader } from '../../application/ports.js';
import { monthOf } from '../../domain/expense.js';
import { decodeCursor, encodeCursor, listKey } from '../expense-listing.js';
import { InMemoryLedgerRepository } from './memory-ledger-repository.js';

/** Export pages over the in-memory ledger's expenses: oldest date first, in listing-key order. */
@injectable()
export class InMemoryExpenseExport implements ExpenseExportReader {
  constructor(@inject(InMemoryLedgerRepository) private readonly ledger: InMemoryLedgerRepository) {}

  async readPage(userId: string, range: { from: string; to: string }, limit: number, cursor?: string): Promise<ExpenseExportPage> {
    const after = cursor === undefined ? null : decodeCursor(cursor, range.from, range.to);
    const matching = (await this.ledger.allExpenses(userId))
      .filter((e) => monthOf(e.date) >= range.from && monthOf(e.date) <= range.to && (after === null || listKey(e) > after))
      .sort((a, b) => (listKey(a) < listKey(b) ? -1 : 1));
    const expenses = matching.slice(0, limit);
    return { expenses, nextCursor: matching.length > limit ? encodeCursor(listKey(expenses[expenses.length - 1]!)) : null };
  }
}
