import { expect } from 'chai';
import { canonicalTimeZone, localDate, localMonth, startOfLocalDay } from '../../src/domain/time-zone.js';

describe('time zones', () => {
  it('knows IANA names in their canonical spelling and nothing else', () => {
    expect(canonicalTimeZone('Europe/Berlin')).to.equal('Europe/Berlin');
    expect(canonicalTimeZone('utc')).to.equal('UTC');
    expect(canonicalTimeZone('US/Pacific')).to.equal('America/Los_Angeles');
    for (const name of ['+01:00', '-0800', 'Mars/Olympus_Mons', '', ' UTC', 'UTC\u0000', '../etc/passwd']) expect(canonicalTimeZone(name), name).to.equal(null);
  });

  it('reads today and this month on the zone\'s wall calendar, at the edges of a month and a year', () => {
    const lateOnTheLastDay = new Date('2026-11-30T23:30:00.000Z');
    expect(localDate(lateOnTheLastDay, 'UTC')).to.equal('2026-11-30');
    expect(localDate(lateOnTheLastDay, 'Asia/Tokyo')).to.equal('2026-12-01');
    expect(localDate(lateOnTheLastDay, 'America/Los_Angeles')).to.equal('2026-11-30');
    const earlyOnTheFirst = new Date('2027-01-01T05:00:00.000Z');
    expect(localMonth(earlyOnTheFirst, 'UTC')).to.equal('2027-01');
    expect(localMonth(earlyOnTheFirst, 'America/Los_Angeles')).to.equal('2026-12');
    expect(localMonth(earlyOnTheFirst, 'Pacific/Kiritimati')).to.equal('2027-01');
    // Half-hour and daylight-saving zones: 2026-03-29 01:30 UTC is 03:30 CEST in Berlin, 07:00 in Kolkata.
    expect(localDate(new Date('2026-03-28T23:30:00.000Z'), 'Europe/Berlin')).to.equal('2026-03-29');
    expect(localDate(new Date('2026-03-31T18:31:00.000Z'), 'Asia/Kolkata')).to.equal('2026-04-01');
  });
});

describe('domain: the start of a local day', () => {
  it('is midnight on that zone\'s wall calendar', () => {
    expect(startOfLocalDay('2026-12-01', 'UTC').toISOString()).to.equal('2026-12-01T00:00:00.000Z');
    expect(startOfLocalDay('2026-12-01', 'Asia/Tokyo').toISOString()).to.equal('2026-11-30T15:00:00.000Z');
    expect(startOfLocalDay('2026-12-01', 'America/Los_Angeles').toISOString()).to.equal('2026-12-01T08:00:00.000Z');
    // Summer time: Los Angeles is 7 hours behind UTC in July.
    expect(startOfLocalDay('2026-07-01', 'America/Los_Angeles').toISOString()).to.equal('2026-07-01T07:00:00.000Z');
    expect(localDate(startOfLocalDay('2026-03-08', 'America/Los_Angeles'), 'America/Los_Angeles')).to.equal('2026-03-08');
  });
});
