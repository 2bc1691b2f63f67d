import { hashedUuid } from './hashed-id.js';
import { injectable, inject } from 'inversify';
import { NotFoundError } from '../domain/errors.js';
import { toExpenseDetails, type ExpenseInput } from '../domain/expense.js';
import { occurrenceDate, type Recurrence } from '../domain/recurrence.js';
import { startOfLocalDay } from '../domain/time-zone.js';
import type { WriteRateLimit } from '../domain/write-rate.js';
import { budgetWrite, expenseRules, retryOnConflict, UserWriteQueue } from './ledger-write.js';
import { TOKENS, type BudgetRecord, type Clock, type LedgerRepository, type RecurrenceRepository, type VersionedBudget, type VersionedRecurrence } from './ports.js';

/** What a recurring expense records each time, as sent (amounts in major units, like an expense's). */
export type RecurringExpenseInput = Omit<ExpenseInput, 'date'>;

/** When a recurrence is next due: the start of its next occurrence's day in the user's time zone; null once it has ended. */
export function dueAtOf(recurrence: Recurrence, timeZone: string): number | null {
  const date = occurrenceDate(recurrence.schedule, recurrence.nextIndex);
  return date === null ? null : startOfLocalDay(date, timeZone).getTime();
}

/**
 * The id of the expense a recurrence makes on `date`: the same for the same (recurrence, date), so
 * two runners, or a run retried after a crash, conditionally create one expense, never two; a UUID like
 * every other expense id.
 */
export function occurrenceExpenseId(recurrenceId: string, date: string): string {
  return hashedUuid(`recurring\u0000${recurrenceId}\u0000${date}`);
}

/** The expense part of a recurrence, checked and in minor units against the budget's rules (`current`: the category it has may stay, even archived). */
export function recurringExpense(input: RecurringExpenseInput, record: BudgetRecord, problems: Record<string, string>, current?: string): Recurrence['expense'] {
  // Any valid date: the schedule, checked on its own, gives the dates.
  const { date: _date, ...details } = toExpenseDetails({ ...input, date: '2000-01-01' }, expenseRules(record, current), problems);
  return details;
}

/**
 * A read-decide-commit of one user's recurrence: `decide` gets it as stored (null for a new one)
 * and the budget, and returns the recurrence to store (or null to delete it) and the change in the
 * user's count of recurrences. The write spends one from the user's rate bucket and is conditional
 * on the recurrence's and the budget's versions.
 */
@injectable()
export class RecurrenceWriter {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  change(userId: string, id: string, decide: (stored: VersionedRecurrence | null, budget: VersionedBudget, now: Date) => Recurrence | null, creating = false): Promise<Recurrence> {
    return this.writes.run(userId, () => retryOnConflict(async () => {
      const now = this.clock.now();
      const [stored, budget] = await Promise.all([this.recurrences.get(userId, id), this.ledger.getBudget(userId)]);
      if (!stored && !creating) throw new NotFoundError(`No recurring expense with id ${id}`);
      const next = decide(stored, budget, now);
      const charged = budgetWrite(budget, this.writeRateLimit, now);
      const count = budget.record.recurringCount + (stored ? 0 : 1) - (next ? 0 : 1);
      const subject = next ?? stored!.recurrence;
      await this.ledger.commit(userId, {
        months: [], newAlerts: [],
        budget: { record: { ...charged.record, recurringCount: count }, expectedVersion: charged.expectedVersion },
        recurrence: { write: next ? 'put' : 'delete', recurrence: subject, expectedVersion: stored?.version ?? 0, dueAt: next ? dueAtOf(next, budget.record.budget.timeZone) : null },
      });
      return subject;
    }));
  }
}
