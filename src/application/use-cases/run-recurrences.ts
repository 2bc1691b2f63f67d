import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { NotFoundError } from '../../domain/errors.js';
import { addDays, monthOf, type Expense } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { CATCH_UP_DAYS, firstIndexAfter, occurrenceDate, type Recurrence } from '../../domain/recurrence.js';
import { localDate } from '../../domain/time-zone.js';
import { retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { MonthWriter } from '../month-writes.js';
import {
  ExpensesExistError, TOKENS,
  type BudgetRecord, type Clock, type LedgerRepository, type Logger, type RecurrenceRepository, type VersionedBudget, type VersionedRecurrence,
} from '../ports.js';
import { dueAtOf, occurrenceExpenseId } from '../recurrence-write.js';
import { DeliverAlerts } from './deliver-alerts.js';

type Step =
  | { kind: 'done' }
  | { kind: 'advanced' }
  | { kind: 'made'; expense: Expense; alerts: Alert[]; record: BudgetRecord };

/**
 * Makes a recurrence's occurrences that are due (dated today or earlier in the user's time zone),
 * each an ordinary expense through the normal write path (month totals, alerts), one transaction
 * each: the expense (created only if absent: its id comes from the recurrence and the date), its
 * month, the budget's version and the recurrence moving past it. So two runners, or a run retried
 * after a crash, make each occurrence once; a deleted occurrence's expense is never made again.
 * After downtime, occurrences more than a year old are passed over, not made.
 */
@injectable()
export class RunRecurrence {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
  ) {}

  /** The expenses made; stops early (the next run carries on) once `deadline` has passed. */
  async execute(userId: string, id: string, deadline?: Date): Promise<Expense[]> {
    const made: Expense[] = [];
    for (;;) {
      if (deadline && this.clock.now() >= deadline) return made;
      const step = await this.writes.run(userId, () => retryOnConflict(() => this.step(userId, id)));
      if (step.kind === 'done') return made;
      if (step.kind === 'made') {
        made.push(step.expense);
        await this.deliverAlerts.afterCommit(userId, step.alerts, step.record);
      }
    }
  }

  /** The recurrence as it is now (after a run); NotFoundError when it was deleted meanwhile. */
  async current(userId: string, id: string): Promise<Recurrence> {
    const stored = await this.recurrences.get(userId, id);
    if (!stored) throw new NotFoundError(`No recurring expense with id ${id}`);
    return stored.recurrence;
  }

  private async step(userId: string, id: string): Promise<Step> {
    const now = this.clock.now();
    const [stored, budget] = await Promise.all([this.recurrences.get(userId, id), this.ledger.getBudget(userId)]);
    if (!stored) return { kind: 'done' };
    const { recurrence } = stored;
    const timeZone = budget.record.budget.timeZone;
    const today = localDate(now, timeZone);
    const date = occurrenceDate(recurrence.schedule, recurrence.nextIndex);
    if (date === null || date > today) {
      // Not due: make sure the index says when it is (a time zone change moves the start of a day).
      const dueAt = dueAtOf(recurrence, timeZone);
      if (dueAt !== stored.dueAt) await this.advance(userId, stored, budget, recurrence);
      return { kind: 'done' };
    }
    const oldest = addDays(today, -CATCH_UP_DAYS);
    if (date < oldest) {
      // Too old to catch up: pass over everything before the cut-off in one write.
      const nextIndex = firstIndexAfter(recurrence.schedule, addDays(oldest, -1));
      await this.advance(userId, stored, budget, { ...recurrence, nextIndex, lastDate: occurrenceDate(recurrence.schedule, nextIndex - 1) });
      return { kind: 'advanced' };
    }
    const next: Recurrence = { ...recurrence, nextIndex: recurrence.nextIndex + 1, lastDate: date };
    const expense: Expense = {
      id: occurrenceExpenseId(recurrence.id, date), ...recurrence.expense, date, recurringId: recurrence.id,
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    const read = await this.monthWriter.read(userId, [monthOf(date)], now, { budget });
    const change = await this.monthWriter.plan(userId, read, [applyExpenseChange(read.months.get(monthOf(date))!.totals, null, expense)], now, { recurrence: next });
    try {
      await this.ledger.commit(userId, {
        ...change,
        expense: { kind: 'create', expense },
        budget: { record: budget.record, expectedVersion: budget.version },
        recurrence: { write: 'put', recurrence: next, expectedVersion: stored.version, dueAt: dueAtOf(next, timeZone) },
      });
    } catch (error) {
      if (!(error instanceof ExpensesExistError)) throw error;
      // Made already (by a run whose answer was lost, before the recurrence moved on): just move on.
      await this.advance(userId, stored, budget, next);
      return { kind: 'advanced' };
    }
    return { kind: 'made', expense, alerts: change.newAlerts, record: budget.record };
  }

  /** Stores the recurrence (moved on, or with its due time corrected) and nothing else. */
  private async advance(userId: string, stored: VersionedRecurrence, budget: VersionedBudget, next: Recurrence): Promise<void> {
    await this.ledger.commit(userId, {
      months: [], newAlerts: [],
      recurrence: { write: 'put', recurrence: next, expectedVersion: stored.version, dueAt: dueAtOf(next, budget.record.budget.timeZone) },
    });
  }
}

/** Due recurrences read per page of the due-work index. */
const RUN_PAGE = 100;
/** Recurrences run at once (each user's writes still queue behind each other). */
const RUN_CONCURRENCY = 10;

/**
 * The scheduled run (every 15 minutes on AWS, at start-up and every minute locally): the
 * recurrences whose next occurrence's day has begun, found through the due-work index (cost grows
 * with what is due, never with the number of users), each run until nothing of it is due, page
 * after page until none is due or `deadline` passes (the next run carries on).
 */
@injectable()
export class RunDueRecurrences {
  constructor(
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(RunRecurrence) private readonly runRecurrence: RunRecurrence,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async execute(deadline?: Date): Promise<{ recurrences: number; made: number; failed: number }> {
    let recurrences = 0;
    let made = 0;
    // One recurrence failing (a dependency, a full month) must not hold up the others; it stays due
    // for the next run, and this run does not pick it up again.
    const failed = new Set<string>();
    const timeLeft = () => !deadline || this.clock.now() < deadline;
    while (timeLeft()) {
      const due = (await this.recurrences.listDue(this.clock.now(), RUN_PAGE + failed.size)).filter((d) => !failed.has(`${d.userId}/${d.id}`));
      if (due.length === 0) break;
      let next = 0;
      const worker = async () => {
        while (next < due.length && timeLeft()) {
          const { userId, id } = due[next++]!;
          recurrences += 1;
          try {
            // Awaited first: `made += await ...` would read `made` before the await and lose other workers' counts.
            const count = (await this.runRecurrence.execute(userId, id, deadline)).length;
            made += count;
          } catch (error) {
            failed.add(`${userId}/${id}`);
            this.logger.error('recurring expense run failed', { userId, recurrenceId: id, error: String(error) });
          }
        }
      };
      await Promise.all(Array.from({ length: RUN_CONCURRENCY }, worker));
    }
    return { recurrences, made, failed: failed.size };
  }
}
