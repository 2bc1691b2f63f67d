import { createHmac, timingSafeEqual } from 'node:crypto';
import { ExpiredUnsubscribeLinkError, InvalidUnsubscribeLinkError } from '../domain/errors.js';

/** How long an unsubscribe link in a report works: two more reports' time, and then some. */
export const UNSUBSCRIBE_LINK_DAYS = 90;

const PURPOSE = 'monthly-report-unsubscribe';

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest('base64url');
}

/**
 * The token of a report's one-click unsubscribe link: the user and an expiry, signed (HMAC-SHA256
 * with a secret only the server has), so the link works without signing in and only for that user.
 */
export function signUnsubscribeToken(userId: string, expiresAt: Date, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ u: userId, e: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The user a token names; InvalidUnsubscribeLinkError for one we did not sign (or altered), ExpiredUnsubscribeLinkError past its time. */
export function verifyUnsubscribeToken(token: string, secret: string, now: Date): string {
  const [payload, signature, extra] = token.split('.');
  const invalid = new InvalidUnsubscribeLinkError('This unsubscribe link is not valid: open the page and turn the monthly report off there');
  if (!payload || !signature || extra !== undefined) throw invalid;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  let claims: { u?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof claims.u !== 'string' || typeof claims.e !== 'number') throw invalid;
  if (claims.e * 1000 <= now.getTime()) throw new ExpiredUnsubscribeLinkError('This unsubscribe link has expired: open the page and turn the monthly report off there');
  return claims.u;
}
