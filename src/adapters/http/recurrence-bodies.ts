import type { RecurrenceInput, RecurrenceView } from '../../application/use-cases/recurrences.js';
import { invalidFields } from '../../domain/errors.js';
import type { Schedule } from '../../domain/recurrence.js';
import { toMajorUnits } from '../../domain/money.js';
import { parseExpenseBody } from './request-bodies.js';

const SCHEDULE_FIELDS = ['frequency', 'interval', 'startDate', 'dayOfMonth', 'weekday', 'end', 'weekend'];

/**
 * A recurring expense as sent: the expense's fields (as for an expense, without a date) and a
 * `schedule`, whose rules the use case checks. Problems found here are named with the others.
 */
export function parseRecurrenceBody(body: unknown): { input: RecurrenceInput; problems: Record<string, string> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidFields({ body: 'must be a JSON object' });
  const { schedule, ...rest } = body as Record<string, unknown>;
  if ('date' in rest) throw invalidFields({ date: 'is not a field of a recurring expense: the schedule gives the dates' });
  // Any valid date: the expense parser wants one; the schedule gives the real ones.
  const { input: { date: _date, ...expense }, problems } = parseExpenseBody({ ...rest, date: '2000-01-01' });
  const fields = { ...problems };
  let parsed = { frequency: '', interval: 1, startDate: '', weekend: 'none' } as unknown as Schedule;
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) {
    fields.schedule = 'is required: {"frequency", "interval"?, "startDate", "dayOfMonth"?, "weekday"?, "end"?, "weekend"?}';
  } else {
    for (const key of Object.keys(schedule)) if (!SCHEDULE_FIELDS.includes(key)) fields[`schedule.${key}`] = 'is not an allowed field';
    const s = schedule as Record<string, unknown>;
    // Optional means absent: null is not a default (as for every optional field).
    parsed = { ...s, interval: s.interval === undefined ? 1 : s.interval, weekend: s.weekend === undefined ? 'none' : s.weekend } as unknown as Schedule;
  }
  return { input: { expense, schedule: parsed }, problems: fields };
}

export function recurrenceJson({ recurrence, nextDate, currency }: RecurrenceView) {
  const { expense } = recurrence;
  return {
    id: recurrence.id,
    amount: toMajorUnits(expense.amount, currency),
    category: expense.category,
    ...(expense.description !== undefined ? { description: expense.description } : {}),
    ...(expense.original ? { original: { amount: toMajorUnits(expense.original.amount, expense.original.currency), currency: expense.original.currency } } : {}),
    schedule: recurrence.schedule,
    nextDate,
    createdAt: recurrence.createdAt,
    updatedAt: recurrence.updatedAt,
  };
}
