import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app does it: HMAC-SHA1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ALGORITHM = 'SHA1';
/** Steps accepted either side of now (clock drift, slow typing). */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = 'Pupero';

/** A new shared secret: 160 random bits (RFC 4226's recommended length), base32 without padding. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUrl(secretBase32: string, username: string): string {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: username,
    secret: Secret.fromBase32(secretBase32),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCodeAt(secretBase32: string, step: number, digits = TOTP_DIGITS, algorithm = TOTP_ALGORITHM): string {
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), counter: step, digits, algorithm });
}

/** "123 456" and "123-456" are how people copy codes; anything else that is not 6 digits is no code. */
export function normaliseTotpCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The time step a code belongs to, within ±TOTP_WINDOW of now, that is later than `lastUsedStep`
 * (replay protection: a step, once used, and every earlier one are spent). Every candidate is
 * compared in constant time, with no early exit.
 */
export function matchTotp(secretBase32: string, code: string, now: Date, lastUsedStep: bigint | number | null): number | null {
  const given = normaliseTotpCode(code);
  if (!given) return null;
  const current = totpStep(now);
  const floor = lastUsedStep === null ? -Infinity : Number(lastUsedStep);
  let match: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const equal = timingSafeEqual(Buffer.from(totpCodeAt(secretBase32, step)), Buffer.from(given));
    if (equal && step > floor && match === null) match = step;
  }
  return match;
}
