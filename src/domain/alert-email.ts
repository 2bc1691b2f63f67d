import { RateLimitedError } from './errors.js';

/**
 * Each address change (and each confirmation asked for again) makes AWS email an address someone
 * typed. At most this many in any 24 hours per user keeps the product from being a way to send
 * confirmation mail to strangers.
 */
export const MAX_ALERT_EMAIL_REQUESTS_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Records one more email request at `now`, given the times of earlier ones (ISO, any order).
 * Returns the requests still inside the window, this one included; throws RateLimitedError with
 * the wait until the oldest leaves the window when the limit is reached.
 */
export function recordAlertEmailRequest(earlier: string[], now: Date): string[] {
  const recent = earlier.filter((at) => Date.parse(at) > now.getTime() - DAY_MS).sort();
  if (recent.length >= MAX_ALERT_EMAIL_REQUESTS_PER_DAY) {
    const freeAt = Date.parse(recent[0]!) + DAY_MS;
    throw new RateLimitedError(
      `At most ${MAX_ALERT_EMAIL_REQUESTS_PER_DAY} alert address changes or confirmation requests a day`,
      Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
    );
  }
  return [...recent, now.toISOString()];
}
