import { RateLimitedError } from './errors.js';

/**
 * How fast one user may write: a token bucket holding `burst` writes that refills at
 * `refillPerSecond`. It bounds what one account can cost and keeps one user from crowding out
 * the others; a person entering expenses (or a phone syncing a day of offline entries) never
 * meets it.
 */
export interface WriteRateLimit {
  burst: number;
  refillPerSecond: number;
}

export const DEFAULT_WRITE_RATE_LIMIT: WriteRateLimit = Object.freeze({ burst: 60, refillPerSecond: 1 });

/** The bucket as stored: thousandths of a write (integers, so refills never drift) at an instant. */
export interface WriteAllowance {
  milliWrites: number;
  at: string;
}

const ONE_WRITE = 1000;

/**
 * The bucket after one more write at `now`, or RateLimitedError saying when the next write fits.
 * `null` is a bucket never used (full). A clock behind the stored instant (another instance's)
 * refills nothing rather than counting the skew twice.
 */
export function spendWrite(allowance: WriteAllowance | null, limit: WriteRateLimit, now: Date): WriteAllowance {
  const full = limit.burst * ONE_WRITE;
  const storedAt = allowance ? Date.parse(allowance.at) : now.getTime();
  const elapsedMs = Math.max(0, now.getTime() - storedAt);
  const available = allowance ? Math.min(full, allowance.milliWrites + Math.floor(elapsedMs * limit.refillPerSecond)) : full;
  if (available < ONE_WRITE) {
    const retryAfterSeconds = Math.max(1, Math.ceil((ONE_WRITE - available) / (limit.refillPerSecond * ONE_WRITE)));
    throw new RateLimitedError(`Too many changes in a short time: at most ${limit.burst} at once, then ${limit.refillPerSecond} per second`, retryAfterSeconds);
  }
  return { milliWrites: available - ONE_WRITE, at: new Date(Math.max(storedAt, now.getTime())).toISOString() };
}
