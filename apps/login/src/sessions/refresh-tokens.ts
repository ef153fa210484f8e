import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are 256 random bits, opaque to clients. Only their SHA-256 is stored: it is
 * enough for a secret this long (no dictionary to try) and lets the lookup be a plain index hit.
 */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A string that can be one of our tokens (43 base64url characters); others are refused without a lookup. */
export const looksLikeRefreshToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);
