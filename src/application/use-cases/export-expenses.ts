import { inject, injectable } from 'inversify';
import { ValidationError } from '../../domain/errors.js';
import type { Expense } from '../../domain/expense.js';
import { TOKENS, type CategoryRepository, type ExpenseExportReader, type LedgerRepository } from '../ports.js';

/**
 * Expenses per export page. A row is at most about 1.2 KB (a 200-character description and a
 * 40-character name of 4-byte characters), so a page stays under 2.5 MB, far below Lambda's 6 MB
 * response limit, and is one index query of at most about 500 KB.
 */
export const EXPORT_PAGE_SIZE = 2000;
/** At most ten years per request. */
export const MAX_EXPORT_MONTHS = 120;

export interface ExportPage {
  expenses: Expense[];
  nextCursor: string | null;
  /** The budget's currency: amounts are its minor units. */
  currency: string;
  /** Category id -> name now (a deleted category's id stands for itself). */
  categoryNames: Map<string, string>;
}

/** One page of the user's expenses between two months, oldest first, with what is needed to write them out. */
@injectable()
export class ExportExpenses {
  constructor(
    @inject(TOKENS.ExpenseExportReader) private readonly reader: ExpenseExportReader,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
  ) {}

  async execute(userId: string, range: { from: string; to: string }, cursor?: string): Promise<ExportPage> {
    const months = monthIndex(range.to) - monthIndex(range.from) + 1;
    if (months < 1) throw new ValidationError({ to: 'must not be before from' }, 'Invalid query parameter: to');
    if (months > MAX_EXPORT_MONTHS) throw new ValidationError({ to: `must be at most ${MAX_EXPORT_MONTHS} months (ten years) after from, counting both` }, 'Invalid query parameter: to');
    const [page, budget, { categories }] = await Promise.all([
      this.reader.readPage(userId, range, EXPORT_PAGE_SIZE, cursor), this.ledger.getBudget(userId), this.categories.getCategories(userId),
    ]);
    return { ...page, currency: budget.record.budget.currency, categoryNames: new Map(categories.map((c) => [c.id, c.name])) };
  }
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}
