import { createHash, randomBytes } from 'node:crypto';

/** Crockford's base32: no i, l, o, u, so codes read and type without confusion. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 4;
const GROUP_LENGTH = 4;
export const RECOVERY_CODE_COUNT = 10;

/** Ten single-use codes like "7k2m-9qxd-c4vt-h81p": 80 random bits each. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(GROUPS * GROUP_LENGTH);
    const chars = [...bytes].map((b) => ALPHABET[b & 31]); // 32 divides 256: no bias
    return Array.from({ length: GROUPS }, (_, g) => chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join('')).join('-');
  });
}

/** Canonical form of what a user typed (any case, with or without dashes/spaces, i/l→1, o→0), or null. */
export function normaliseRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  if (compact.length !== GROUPS * GROUP_LENGTH || [...compact].some((c) => !ALPHABET.includes(c))) return null;
  return compact;
}

/** Stored form. 80 random bits need no slow hash: there is no dictionary to try. */
export function hashRecoveryCode(normalised: string): string {
  return createHash('sha256').update(`pupero-recovery:${normalised}`).digest('hex');
}
