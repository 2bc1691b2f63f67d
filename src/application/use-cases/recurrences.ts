import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { invalidFields, NotFoundError, ValidationError } from '../../domain/errors.js';
import { addDays, type Expense } from '../../domain/expense.js';
import { checkSchedule, firstIndexAfter, occurrenceDate, type Recurrence, type Schedule } from '../../domain/recurrence.js';
import { localDate } from '../../domain/time-zone.js';
import { TOKENS, type LedgerRepository, type RecurrenceRepository } from '../ports.js';
import { recurringExpense, RecurrenceWriter, type RecurringExpenseInput } from '../recurrence-write.js';
import { RunRecurrence } from './run-recurrences.js';

export interface RecurrenceInput {
  expense: RecurringExpenseInput;
  schedule: Schedule;
}

/** A recurrence and the date of its next occurrence (null once it has ended), amounts in minor units of `currency`. */
export interface RecurrenceView {
  recurrence: Recurrence;
  nextDate: string | null;
  currency: string;
}

export const MAX_RECURRENCES = 100;

const view = (recurrence: Recurrence, currency: string): RecurrenceView => ({ recurrence, nextDate: occurrenceDate(recurrence.schedule, recurrence.nextIndex), currency });

/** One 400 naming every bad field of the expense part (as the edge found them) and of the schedule. */
function checkScheduleWith(schedule: Schedule, problems: Record<string, string>): void {
  try {
    checkSchedule(schedule);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(problems, error.fields);
  }
}

/**
 * Creates a recurring expense, then makes at once the occurrences already due (a start date in the
 * past catches up, at most a year back), so the month shows them without waiting for the schedule.
 */
@injectable()
export class CreateRecurrence {
  constructor(
    @inject(RecurrenceWriter) private readonly writer: RecurrenceWriter,
    @inject(RunRecurrence) private readonly run: RunRecurrence,
  ) {}

  async execute(userId: string, input: RecurrenceInput, problems: Record<string, string> = {}): Promise<RecurrenceView & { made: Expense[] }> {
    const id = randomUUID();
    let currency = '';
    await this.writer.change(userId, id, (_stored, budget, now) => {
      currency = budget.record.budget.currency;
      checkScheduleWith(input.schedule, problems);
      const expense = recurringExpense(input.expense, budget.record, problems);
      if (Object.keys(problems).length) throw invalidFields(problems);
      if (budget.record.recurringCount >= MAX_RECURRENCES) {
        throw new ValidationError({ recurring: `at most ${MAX_RECURRENCES} recurring expenses: delete one first` }, 'Too many recurring expenses');
      }
      return { id, expense, schedule: input.schedule, nextIndex: 0, lastDate: null, createdAt: now.toISOString(), updatedAt: now.toISOString() };
    }, true);
    const made = await this.run.execute(userId, id);
    return { ...view(await this.run.current(userId, id), currency), made };
  }
}

/**
 * Replaces what a recurring expense records and its schedule. The new schedule applies from today
 * on: nothing dated before today, or on or before the last occurrence made or skipped, is made again.
 */
@injectable()
export class UpdateRecurrence {
  constructor(
    @inject(RecurrenceWriter) private readonly writer: RecurrenceWriter,
    @inject(RunRecurrence) private readonly run: RunRecurrence,
  ) {}

  async execute(userId: string, id: string, input: RecurrenceInput, problems: Record<string, string> = {}): Promise<RecurrenceView & { made: Expense[] }> {
    let currency = '';
    await this.writer.change(userId, id, (stored, budget, now) => {
      currency = budget.record.budget.currency;
      const current = stored!.recurrence;
      checkScheduleWith(input.schedule, problems);
      const expense = recurringExpense(input.expense, budget.record, problems, current.expense.category);
      if (Object.keys(problems).length) throw invalidFields(problems);
      const yesterday = addDays(localDate(now, budget.record.budget.timeZone), -1);
      const resumeAfter = current.lastDate !== null && current.lastDate > yesterday ? current.lastDate : yesterday;
      return { ...current, expense, schedule: input.schedule, nextIndex: firstIndexAfter(input.schedule, resumeAfter), updatedAt: now.toISOString() };
    });
    const made = await this.run.execute(userId, id);
    return { ...view(await this.run.current(userId, id), currency), made };
  }
}

/** Deletes a recurring expense; the expenses it made stay (they are ordinary expenses). */
@injectable()
export class DeleteRecurrence {
  constructor(@inject(RecurrenceWriter) private readonly writer: RecurrenceWriter) {}

  async execute(userId: string, id: string): Promise<void> {
    await this.writer.change(userId, id, () => null);
  }
}

/** Skips the next occurrence: it is never made (and counts towards `end.after`). */
@injectable()
export class SkipRecurrence {
  constructor(@inject(RecurrenceWriter) private readonly writer: RecurrenceWriter) {}

  async execute(userId: string, id: string): Promise<RecurrenceView> {
    let currency = '';
    const recurrence = await this.writer.change(userId, id, (stored, budget, now) => {
      currency = budget.record.budget.currency;
      const current = stored!.recurrence;
      const skipped = occurrenceDate(current.schedule, current.nextIndex);
      if (skipped === null) throw new ValidationError({ recurring: 'has ended: no occurrence is left to skip' }, 'Nothing to skip');
      return { ...current, nextIndex: current.nextIndex + 1, lastDate: skipped, updatedAt: now.toISOString() };
    });
    return view(recurrence, currency);
  }
}

@injectable()
export class ListRecurrences {
  constructor(
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
  ) {}

  async execute(userId: string): Promise<RecurrenceView[]> {
    const [stored, budget] = await Promise.all([this.recurrences.list(userId), this.ledger.getBudget(userId)]);
    return stored.map((r) => view(r.recurrence, budget.record.budget.currency));
  }
}

@injectable()
export class GetRecurrence {
  constructor(
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
  ) {}

  async execute(userId: string, id: string): Promise<RecurrenceView> {
    const [stored, budget] = await Promise.all([this.recurrences.get(userId, id), this.ledger.getBudget(userId)]);
    if (!stored) throw new NotFoundError(`No recurring expense with id ${id}`);
    return view(stored.recurrence, budget.record.budget.currency);
  }
}
