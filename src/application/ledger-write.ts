import { injectable } from 'inversify';
import { toExpenseDetails, type ExpenseInput, type ExpenseRules } from '../domain/expense.js';
import { spendWrite, type WriteRateLimit } from '../domain/write-rate.js';
import {
  activeCategoryIdsOf, ConcurrentChangeError, DependencyUnavailableError,
  type BudgetRecord, type LedgerChange, type LedgerRepository, type VersionedBudget,
} from './ports.js';

/**
 * Refuses input the edge already found invalid, naming its problems and the amount's together:
 * whether an amount fits depends on the budget's currency, read here.
 */
export async function rejectInvalidInput(ledger: LedgerRepository, userId: string, input: ExpenseInput, problems: Record<string, string>): Promise<void> {
  if (Object.keys(problems).length === 0) return;
  toExpenseDetails(input, expenseRules((await ledger.getBudget(userId)).record), problems);
}

/** The rules an expense write checks, all from the budget record the write reads and commits on. */
export function expenseRules(record: BudgetRecord, currentCategory?: string): ExpenseRules {
  return { currency: record.budget.currency, categoryIds: activeCategoryIdsOf(record), ...(currentCategory ? { currentCategory } : {}) };
}


/**
 * The budget part of a user's write: it spends one write from the user's rate bucket
 * (RateLimitedError when it is empty) and stores the budget only if it is still the version read.
 */
export function budgetWrite(read: VersionedBudget, limit: WriteRateLimit, now: Date): NonNullable<LedgerChange['budget']> {
  return { record: { ...read.record, writeAllowance: spendWrite(read.record.writeAllowance, limit, now) }, expectedVersion: read.version };
}

/**
 * Spends one write from the user's rate bucket on its own (RateLimitedError when it is empty): for
 * a request that is one write for the limit however many transactions it takes (an upload, a
 * commit, an undo), taken before it changes anything.
 */
export async function spendOneWrite(ledger: LedgerRepository, writes: UserWriteQueue, limit: WriteRateLimit, userId: string, now: Date): Promise<void> {
  await writes.run(userId, () => retryOnConflict(async () => {
    await ledger.commit(userId, { months: [], newAlerts: [], budget: budgetWrite(await ledger.getBudget(userId), limit, now) });
  }));
}

const MAX_ATTEMPTS = 40;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 200;

/**
 * Runs a read-decide-commit step until it commits without losing a race. Backoff is capped and
 * fully jittered so that contending writers spread out instead of colliding again in lockstep.
 */
export async function retryOnConflict<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError)) throw error;
      if (attempt + 1 >= MAX_ATTEMPTS) throw new DependencyUnavailableError('too many concurrent changes to this month');
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/**
 * Runs one user's writes in this process one after another. Writers racing on the same month
 * item would mostly lose and retry (n concurrent writers cost ~n^2/2 attempts); queued, each
 * commits at the first try. Writers in other processes (other Lambda instances) are still
 * kept apart by the version check and retryOnConflict.
 */
@injectable()
export class UserWriteQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(userId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(userId) ?? Promise.resolve();
    const result = previous.then(write, write);
    const tail = result.catch(() => undefined);
    this.tails.set(userId, tail);
    void tail.then(() => {
      if (this.tails.get(userId) === tail) this.tails.delete(userId);
    });
    return result;
  }
}
