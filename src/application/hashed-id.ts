import { createHash } from 'node:crypto';

/**
 * A UUID that is a function of `name` (version 8, RFC 9562, from SHA-256, like a version-5
 * name-based UUID): the same name always gives the same id, so a conditional create of it makes
 * the thing once, however often it is attempted.
 */
export function hashedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
