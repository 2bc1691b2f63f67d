import { invalidFields } from './errors.js';
import { addDays, dayNumber, daysInMonth, isCalendarDate, LATEST_DATE, type ExpenseDetails } from './expense.js';

/**
 * Bills that repeat. A schedule yields a sequence of occurrences, numbered from 0; each becomes
 * an ordinary expense on its date. The rules (each with a test):
 * - a day of month past the month's end falls on its last day (the 31st on 30 April, 28 or 29
 *   February): never skipped (Firefly III's rule);
 * - 29 February yearly falls on 28 February in other years;
 * - `weekend: before/after` moves a Saturday or Sunday to the Friday before or the Monday after;
 * - `end.after` counts occurrences, skipped ones included; `end.until` is the last date allowed.
 */

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKEND_RULES = ['none', 'before', 'after'] as const;
export type WeekendRule = (typeof WEEKEND_RULES)[number];

export interface Schedule {
  frequency: Frequency;
  /** Every `interval` days, weeks, months or years: 1 to 365. */
  interval: number;
  /** The first possible date, YYYY-MM-DD. */
  startDate: string;
  /** Monthly: the day, 1 to 31, or -1 for the last day; the start date's day when absent. */
  dayOfMonth?: number;
  /** Weekly: the day of the week; the start date's when absent. */
  weekday?: Weekday;
  end?: { after: number } | { until: string };
  weekend: WeekendRule;
}

export interface Recurrence {
  id: string;
  /** What each occurrence records; amounts in minor units of the budget's currency. */
  expense: Omit<ExpenseDetails, 'date'>;
  schedule: Schedule;
  /** Occurrences already behind: recorded or skipped. The next one is number `nextIndex`. */
  nextIndex: number;
  /** The latest occurrence date recorded or skipped (null before the first): an edit never re-creates it or anything before. */
  lastDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export const MAX_INTERVAL = 365;
export const MAX_OCCURRENCES = 10_000;
/** After downtime, occurrences further back than this are not caught up (they are counted as passed). */
export const CATCH_UP_DAYS = 366;


function lastDayOfMonth(year: number, month: number): number {
  return daysInMonth(`${year}-${String(month).padStart(2, '0')}`);
}

/** Monday 0 ... Sunday 6. */
function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

function moveOffWeekend(date: string, rule: WeekendRule): string {
  const weekday = weekdayIndex(date);
  if (rule === 'none' || weekday < 5) return date;
  if (rule === 'before') return addDays(date, weekday === 5 ? -1 : -2);
  return addDays(date, weekday === 5 ? 2 : 1);
}

/** The k-th date of the schedule's raw sequence (before the start-date cut and the weekend move). */
function rawDate(schedule: Schedule, k: number): string {
  const [year, month, day] = schedule.startDate.split('-').map(Number) as [number, number, number];
  switch (schedule.frequency) {
    case 'daily':
      return addDays(schedule.startDate, k * schedule.interval);
    case 'weekly': {
      const target = schedule.weekday ? WEEKDAYS.indexOf(schedule.weekday) : weekdayIndex(schedule.startDate);
      const first = addDays(schedule.startDate, (target - weekdayIndex(schedule.startDate) + 7) % 7);
      return addDays(first, 7 * k * schedule.interval);
    }
    case 'monthly': {
      const monthIndex = month - 1 + k * schedule.interval;
      const y = year + Math.floor(monthIndex / 12);
      const m = (monthIndex % 12) + 1;
      const wanted = schedule.dayOfMonth ?? day;
      const last = lastDayOfMonth(y, m);
      return `${y}-${String(m).padStart(2, '0')}-${String(wanted === -1 ? last : Math.min(wanted, last)).padStart(2, '0')}`;
    }
    case 'yearly': {
      const y = year + k * schedule.interval;
      return `${y}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDayOfMonth(y, month))).padStart(2, '0')}`;
    }
  }
}

/**
 * Occurrence number `index` (0 = the first on or after the start date), or null past the end or
 * past 2099. A monthly day before the start date's day puts the first occurrence in the next period.
 */
export function occurrenceDate(schedule: Schedule, index: number): string | null {
  if ('after' in (schedule.end ?? {}) && index >= (schedule.end as { after: number }).after) return null;
  // Only a monthly or weekly rule can place the raw first date before the start: then it starts one later.
  const offset = rawDate(schedule, 0) < schedule.startDate ? 1 : 0;
  const raw = rawDate(schedule, index + offset);
  if (raw > LATEST_DATE) return null;
  const date = moveOffWeekend(raw, schedule.weekend);
  if (schedule.end && 'until' in schedule.end && date > schedule.end.until) return null;
  return date;
}

/** The number of the first occurrence dated after `date` (an edit resumes there: nothing on or before it is made again). */
export function firstIndexAfter(schedule: Schedule, date: string | null): number {
  if (date === null) return 0;
  // Occurrences are dated in increasing order; a rough jump, then steps.
  let index = 0;
  const stride = { daily: 1, weekly: 7, monthly: 28, yearly: 365 }[schedule.frequency] * schedule.interval;
  index = Math.max(0, Math.floor((dayNumber(date) - dayNumber(schedule.startDate)) / stride) - 2);
  for (;;) {
    const next = occurrenceDate(schedule, index);
    if (next === null || next > date) return index;
    index += 1;
  }
}

/** The schedule's rules as stored, or a ValidationError naming every field (as `schedule.<field>`) that breaks one. */
export function checkSchedule(schedule: Schedule): void {
  const fields: Record<string, string> = {};
  if (!FREQUENCIES.includes(schedule.frequency)) fields['schedule.frequency'] = `must be one of ${FREQUENCIES.join(', ')}`;
  if (!Number.isInteger(schedule.interval) || schedule.interval < 1 || schedule.interval > MAX_INTERVAL) fields['schedule.interval'] = `must be a whole number from 1 to ${MAX_INTERVAL}`;
  if (typeof schedule.startDate !== 'string' || !isCalendarDate(schedule.startDate)) fields['schedule.startDate'] = 'must be a real date YYYY-MM-DD between 1970-01-01 and 2099-12-31';
  if (schedule.dayOfMonth !== undefined) {
    if (schedule.frequency !== 'monthly') fields['schedule.dayOfMonth'] = 'is for monthly schedules only';
    else if (!Number.isInteger(schedule.dayOfMonth) || (schedule.dayOfMonth !== -1 && (schedule.dayOfMonth < 1 || schedule.dayOfMonth > 31))) fields['schedule.dayOfMonth'] = 'must be 1 to 31, or -1 for the last day of the month';
  }
  if (schedule.weekday !== undefined) {
    if (schedule.frequency !== 'weekly') fields['schedule.weekday'] = 'is for weekly schedules only';
    else if (!WEEKDAYS.includes(schedule.weekday)) fields['schedule.weekday'] = `must be one of ${WEEKDAYS.join(', ')}`;
  }
  if (!WEEKEND_RULES.includes(schedule.weekend)) fields['schedule.weekend'] = `must be one of ${WEEKEND_RULES.join(', ')}`;
  const end = schedule.end as Record<string, unknown> | undefined;
  if (end !== undefined) {
    const keys = typeof end === 'object' && end !== null ? Object.keys(end) : [];
    if (keys.length !== 1 || (keys[0] !== 'after' && keys[0] !== 'until')) fields['schedule.end'] = 'must be {"after": N} or {"until": "YYYY-MM-DD"}';
    else if (keys[0] === 'after' && (!Number.isInteger(end.after) || (end.after as number) < 1 || (end.after as number) > MAX_OCCURRENCES)) fields['schedule.end.after'] = `must be a whole number from 1 to ${MAX_OCCURRENCES}`;
    else if (keys[0] === 'until' && (typeof end.until !== 'string' || !isCalendarDate(end.until) || (!fields['schedule.startDate'] && end.until < schedule.startDate))) {
      fields['schedule.end.until'] = 'must be a real date YYYY-MM-DD on or after the start date';
    }
  }
  if (Object.keys(fields).length) throw invalidFields(fields);
}
