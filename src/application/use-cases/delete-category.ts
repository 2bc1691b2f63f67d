import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { activeCategoryIds } from '../../domain/category.js';
import { CategoryInUseError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Expense } from '../../domain/expense.js';
import { applyExpenseChange, categoryCount } from '../../domain/month-totals.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { budgetWrite, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { batchRoom, MonthWriter } from '../month-writes.js';
import {
  activeCategoryIdsOf, ConcurrentChangeError, MAX_MOVES_PER_CHANGE, TOKENS,
  type BudgetRecord, type CategoryRepository, type Clock, type ExpenseWrite, type LedgerChange, type LedgerRepository, type RecurrenceRepository, type VersionedBudget,
} from '../ports.js';
import { DeliverAlerts } from './deliver-alerts.js';

type Step = { done: true } | { done: false; month: string };

/**
 * How long one request may keep moving expenses: well inside the API Lambda's 28 s timeout and
 * API Gateway's 30 s, so a long merge answers (202, repeat to carry on) rather than being cut off.
 */
export const MERGE_TIME_BUDGET_MS = 20_000;
interface Batch { moved: number; alerts: Alert[]; record: BudgetRecord }

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
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  /**
   * `{ moved }` once the category is gone. A merge still running after MERGE_TIME_BUDGET_MS stops
   * between batches with `remaining` (expenses still to move): the caller repeats the request,
   * which carries on, instead of being cut off by the Lambda's timeout.
   */
  async execute(userId: string, id: string, moveTo?: string): Promise<{ moved: number; remaining?: number }> {
    const deadline = this.clock.now().getTime() + MERGE_TIME_BUDGET_MS;
    let moved = 0;
    for (;;) {
      // The request is one write for the rate limit, however many batches it takes.
      const charged = moved > 0;
      const step = await this.writes.run(userId, () => retryOnConflict(() => this.step(userId, id, moveTo, charged)));
      if (step.done) return { moved };
      // Batches of the month the step chose until it holds none of the category: each re-reads only
      // what it commits on (the budget, the month, a page of the listing), not every month and the list.
      for (let month: string | null = step.month; month !== null;) {
        const batch = await this.writes.run(userId, () => retryOnConflict(() => this.moveBatch(userId, id, moveTo!, month!, moved > 0)));
        moved += batch.moved;
        await this.deliverAlerts.afterCommit(userId, batch.alerts, batch.record);
        if (batch.moved === 0) month = null;
        else if (this.clock.now().getTime() >= deadline) {
          // Nothing left to move: the delete itself is one more small write, done now.
          const remaining = await this.remaining(userId, id);
          if (remaining > 0) return { moved, remaining };
        }
      }
    }
  }

  /** The budget part of a commit: spends the request's one write the first time, else only holds the version read. */
  private budgetWrite(budget: VersionedBudget, charged: boolean, now: Date): NonNullable<LedgerChange['budget']> {
    return charged ? { record: budget.record, expectedVersion: budget.version } : budgetWrite(budget, this.writeRateLimit, now);
  }

  private async remaining(userId: string, id: string): Promise<number> {
    return categoryCount((await this.ledger.listMonths(userId)).map((m) => m.totals), id).expenses;
  }

  /** One read-decide-commit: a batch of moves, or the delete itself once nothing uses the category. */
  private async step(userId: string, id: string, moveTo: string | undefined, charged: boolean): Promise<Step> {
    const now = this.clock.now();
    // The budget before the months, not beside them: an expense added after the budget was read
    // moves its version and fails the delete's commit; one added before is in the months read after.
    const [stored, budget] = await Promise.all([this.categories.getCategories(userId), this.ledger.getBudget(userId)]);
    const months = await this.ledger.listMonths(userId);
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
    // Read only when the user has recurring expenses; the budget's version (which a recurrence
    // write moves) keeps one created meanwhile from slipping past this check.
    if (budget.record.recurringCount > 0) {
      const using = (await this.recurrences.list(userId)).filter((r) => r.recurrence.expense.category === id);
      if (using.length) {
        throw new CategoryInUseError(`${using.length} recurring expense${using.length > 1 ? 's use' : ' uses'} ${JSON.stringify(category.name)}: change or delete ${using.length > 1 ? 'them' : 'it'} first`);
      }
    }
    const using = months.filter((m) => (m.totals.byCategory[id] ?? 0) > 0);
    if (using.length === 0) {
      const categories = stored.categories.filter((c) => c.id !== id);
      const { record, expectedVersion } = this.budgetWrite(budget, charged, now);
      // Conditional on the budget's version: an expense added to this category meanwhile changed it, and the retry sees that expense.
      await this.categories.saveCategories(userId, { categories, expectedVersion: stored.version, budget: { record: { ...record, categoryIds: activeCategoryIds(categories) }, expectedVersion } });
      return { done: true };
    }
    if (moveTo === undefined) {
      throw new CategoryInUseError(`Expenses in ${using.length} month${using.length > 1 ? 's' : ''} use ${JSON.stringify(category.name)}: `
        + 'delete it with ?moveTo=<another category id> to move them there first');
    }
    return { done: false, month: using[0]!.totals.month };
  }

  /**
   * Moves up to MAX_MOVES_PER_CHANGE expenses of `month` from the category to `moveTo`, with the
   * month's totals, in one transaction conditional on the budget (whose version every category
   * change moves: the target cannot be archived or deleted meanwhile) and on each expense as listed.
   */
  private async moveBatch(userId: string, id: string, moveTo: string, month: string, charged: boolean): Promise<Batch> {
    const now = this.clock.now();
    const read = await this.monthWriter.read(userId, [month], now);
    const { budget } = read;
    const before = read.months.get(month);
    if (!activeCategoryIdsOf(budget.record).includes(moveTo)) {
      throw new ValidationError({ moveTo: 'was archived or deleted meanwhile: what moved so far stays there' }, 'Invalid query parameter: moveTo');
    }
    // Amounts are positive: a category has expenses in a month exactly when its sum there is.
    if ((before!.totals.byCategory[id] ?? 0) === 0) return { moved: 0, alerts: [], record: budget.record };
    // The listing index may trail the table; each move is conditional on the expense as listed,
    // and an empty page while the month's totals say otherwise is read again.
    // Carry-over and forecasts may write more months: their room comes out of the batch.
    const limit = batchRoom(read, MAX_MOVES_PER_CHANGE);
    const page = await this.ledger.listExpenses(userId, { month, category: id, limit });
    if (page.items.length === 0) throw new ConcurrentChangeError();
    let totals = before!.totals;
    const moves: ExpenseWrite[] = page.items.map((previous) => {
      const expense: Expense = { ...previous, category: moveTo, updatedAt: now.toISOString() };
      totals = applyExpenseChange(totals, previous, expense);
      return { kind: 'replace', expense, previous };
    });
    const change = await this.monthWriter.plan(userId, read, [totals], now);
    await this.ledger.commit(userId, { ...change, expenses: moves, budget: this.budgetWrite(budget, charged, now) });
    return { moved: moves.length, alerts: change.newAlerts, record: budget.record };
  }
}
