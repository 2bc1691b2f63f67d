/**
 * A user's "today" and "this month" are those of their own time zone (an IANA name), never the
 * server's or UTC: 23:30 UTC on 30 November is already 1 December in Tokyo and still the 30th in
 * Los Angeles. The runtime's ICU data decides which names exist.
 */

export const DEFAULT_TIME_ZONE = 'UTC';

/** The runtime's canonical spelling of an IANA time zone name (`utc` -> `UTC`, `US/Pacific` -> `America/Los_Angeles`), or null. */
export function canonicalTimeZone(name: string): string | null {
  // Offsets such as "+01:00" are not places: their clocks never follow daylight saving.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD on the wall calendar of `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** YYYY-MM in `timeZone` at `instant`. */
export function localMonth(instant: Date, timeZone: string): string {
  return localDate(instant, timeZone).slice(0, 7);
}

/** The instant `date` (YYYY-MM-DD) begins on the wall calendar of `timeZone` (midnight, or the first moment after a DST gap). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at a guess, applied, then checked once more: a DST change near midnight moves it.
  let guess = midnightUtc;
  for (let i = 0; i < 3; i++) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    const next = guess - (wall - midnightUtc);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}
