import { expect } from 'chai';
import { ValidationError } from '../../src/domain/errors.js';
import { checkSchedule, firstIndexAfter, occurrenceDate, type Schedule } from '../../src/domain/recurrence.js';

const schedule = (overrides: Partial<Schedule>): Schedule => ({ frequency: 'monthly', interval: 1, startDate: '2026-01-31', weekend: 'none', ...overrides });
const dates = (s: Schedule, count: number) => Array.from({ length: count }, (_, i) => occurrenceDate(s, i));

describe('domain: recurring schedules', () => {
  it('puts the 31st on the last day of shorter months, never skipping a month (Firefly III\'s rule)', () => {
    expect(dates(schedule({}), 5)).to.deep.equal(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(dates(schedule({ startDate: '2028-01-15', dayOfMonth: 31 }), 2)).to.deep.equal(['2028-01-31', '2028-02-29']);
    expect(dates(schedule({ startDate: '2026-02-10', dayOfMonth: -1 }), 3)).to.deep.equal(['2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('starts in the next period when the day of month is before the start date\'s day', () => {
    expect(dates(schedule({ startDate: '2026-11-20', dayOfMonth: 1 }), 2)).to.deep.equal(['2026-12-01', '2027-01-01']);
    expect(dates(schedule({ startDate: '2026-11-20', dayOfMonth: 1, interval: 3 }), 2)).to.deep.equal(['2027-02-01', '2027-05-01']);
  });

  it('puts 29 February yearly on 28 February in other years', () => {
    expect(dates(schedule({ frequency: 'yearly', startDate: '2024-02-29' }), 5)).to.deep.equal(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
  });

  it('moves a Saturday or Sunday to the Friday before or the Monday after', () => {
    // 2026-02-28 is a Saturday, 2026-03-01 a Sunday.
    expect(occurrenceDate(schedule({ startDate: '2026-02-28', weekend: 'before' }), 0)).to.equal('2026-02-27');
    expect(occurrenceDate(schedule({ startDate: '2026-02-28', weekend: 'after' }), 0)).to.equal('2026-03-02');
    expect(occurrenceDate(schedule({ startDate: '2026-03-01', weekend: 'before' }), 0)).to.equal('2026-02-27');
    expect(occurrenceDate(schedule({ startDate: '2026-03-01', weekend: 'after' }), 0)).to.equal('2026-03-02');
    expect(occurrenceDate(schedule({ startDate: '2026-03-02', weekend: 'after' }), 0)).to.equal('2026-03-02');
  });

  it('counts end.after in occurrences (skipped ones included: they are numbers too), and stops at end.until', () => {
    expect(dates(schedule({ startDate: '2026-01-15', end: { after: 3 } }), 4)).to.deep.equal(['2026-01-15', '2026-02-15', '2026-03-15', null]);
    expect(dates(schedule({ startDate: '2026-01-15', end: { until: '2026-03-14' } }), 3)).to.deep.equal(['2026-01-15', '2026-02-15', null]);
  });

  it('repeats daily and weekly every interval, weekly on the weekday asked', () => {
    expect(dates(schedule({ frequency: 'daily', interval: 10, startDate: '2026-12-25' }), 3)).to.deep.equal(['2026-12-25', '2027-01-04', '2027-01-14']);
    // 2026-12-02 is a Wednesday.
    expect(dates(schedule({ frequency: 'weekly', startDate: '2026-12-02' }), 2)).to.deep.equal(['2026-12-02', '2026-12-09']);
    expect(dates(schedule({ frequency: 'weekly', interval: 2, weekday: 'MO', startDate: '2026-12-02' }), 2)).to.deep.equal(['2026-12-07', '2026-12-21']);
  });

  it('resumes after the last occurrence made', () => {
    const rent = schedule({ startDate: '2026-01-01' });
    expect(dates(rent, 3)).to.deep.equal(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(firstIndexAfter(rent, '2026-03-01')).to.equal(3);
    expect(firstIndexAfter(rent, '2026-02-15')).to.equal(2);
    expect(firstIndexAfter(rent, null)).to.equal(0);
    const daily = schedule({ frequency: 'daily', startDate: '2020-01-01' });
    const next = firstIndexAfter(daily, '2026-12-02');
    expect([occurrenceDate(daily, next - 1), occurrenceDate(daily, next)]).to.deep.equal(['2026-12-02', '2026-12-03']);
  });

  it('names every schedule field that breaks a rule', () => {
    const error = (() => {
      try {
        checkSchedule({ frequency: 'fortnightly' as never, interval: 0, startDate: '2026-02-30', dayOfMonth: 5, weekday: 'XX' as never, weekend: 'maybe' as never, end: { after: 0 } });
        return null;
      } catch (e) { return e; }
    })();
    expect(error).to.be.instanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).to.deep.equal([
      'schedule.dayOfMonth', 'schedule.end.after', 'schedule.frequency', 'schedule.interval', 'schedule.startDate', 'schedule.weekday', 'schedule.weekend',
    ]);
    expect(() => checkSchedule(schedule({ dayOfMonth: -1 }))).to.not.throw();
    expect(() => checkSchedule(schedule({ end: { until: '2025-12-31' } }))).to.throw(ValidationError);
  });
});
