import { inject, injectable } from 'inversify';
import { activeCategoryIds } from '../../domain/category.js';
import { CategoryInUseError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Expense } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { budgetWrite, monthWritesWithAlerts, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import {
  ConcurrentChangeError, MAX_MOVES_PER_CHANGE, TOKENS,
  type BudgetRecord, type CategoryRepository, type Clock, type ExpenseWrite, type LedgerChange, type LedgerRepository,
} from '../ports.js';
import type { Alert } from '../../domain/alert.js';
import { DeliverAlerts } from './deliver-alerts.js';

type Step = { done: true } | { done: false; moved: number; alerts: Alert[]; record: BudgetRecord };

/**
 * Deletes a category no expense or limit uses. With `moveTo`, first moves its expenses to that
 * category in batches: each batch moves up to MAX_MOVES_PER_CHANGE expenses of one month and that
 * month's totals in one transaction, so totals are exact at every moment. Interrupted (a timeout,
 * a crash), the same request repeated carries on from what is left; the category goes last.
 */
@injectable()
export class DeleteCategory {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, id: string, moveTo?: string): Promise<{ moved: number }> {
    let moved = 0;
    for (;;) {
      // The request is one write for the rate limit, however many batches it takes.
      const charged = moved > 0;
      const step = await this.writes.run(userId, () => retryOnConflict(() => this.step(userId, id, moveTo, charged)));
      if (step.done) return { moved };
      moved += step.moved;
      await this.deliverAlerts.afterCommit(userId, step.alerts, step.record);
    }
  }

  /** One read-decide-commit: a batch of moves, or the delete itself once nothing uses the category. */
  private async step(userId: string, id: string, moveTo: string | undefined, charged: boolean): Promise<Step> {
    const now = this.clock.now();
    const [stored, budget, months] = await Promise.all([
      this.categories.getCategories(userId), this.ledger.getBudget(userId), this.ledger.listMonths(userId),
    ]);
    const category = stored.categories.find((c) => c.id === id);
    if (!category) throw new NotFoundError(`No category with id ${id}`);
    if (moveTo !== undefined) {
      const target = stored.categories.find((c) => c.id === moveTo);
      const problem = moveTo === id ? 'must be another category than the one deleted'
        : !target ? 'is not one of your categories' : target.archived ? `category ${JSON.stringify(target.name)} is archived: unarchive it first` : null;
      if (problem) throw new ValidationError({ moveTo: problem }, 'Invalid field: moveTo');
    }
    if (budget.record.budget.categoryLimits[id] !== undefined) {
      throw new CategoryInUseError(`The budget has a limit on ${JSON.stringify(category.name)}: remove the limit first`);
    }
    const using = months.filter((m) => (m.totals.byCategory[id] ?? 0) > 0);
    const charge = (): NonNullable<LedgerChange['budget']> => (charged ? { record: budget.record, expectedVersion: budget.version } : budgetWrite(budget, this.writeRateLimit, now));
    if (using.length === 0) {
      const categories = stored.categories.filter((c) => c.id !== id);
      const { record, expectedVersion } = charge();
      // Conditional on the budget's version: an expense added to this category meanwhile changed it, and the retry sees that expense.
      await this.categories.saveCategories(userId, { categories, expectedVersion: stored.version, budget: { record: { ...record, categoryIds: activeCategoryIds(categories) }, expectedVersion } });
      return { done: true };
    }
    if (moveTo === undefined) {
      throw new CategoryInUseError(`Expenses in ${using.length} month${using.length > 1 ? 's' : ''} use ${JSON.stringify(category.name)}: `
        + 'delete it with ?moveTo=<another category id> to move them there first');
    }
    const month = using[0]!;
    // The listing index may trail the table; each move is conditional on the expense as listed,
    // and an empty page while the month's totals say otherwise is read again.
    const page = await this.ledger.listExpenses(userId, { month: month.totals.month, category: id, limit: MAX_MOVES_PER_CHANGE });
    if (page.items.length === 0) throw new ConcurrentChangeError();
    let totals = month.totals;
    const moves: ExpenseWrite[] = page.items.map((previous) => {
      const expense: Expense = { ...previous, category: moveTo, updatedAt: now.toISOString() };
      totals = applyExpenseChange(totals, previous, expense);
      return { kind: 'replace', expense, previous };
    });
    const change = await monthWritesWithAlerts(this.categories, userId, [{ before: month, after: totals }], budget.record.budget, now);
    await this.ledger.commit(userId, { ...change, expenses: moves, budget: charge() });
    return { done: false, moved: moves.length, alerts: change.newAlerts, record: budget.record };
  }
}
