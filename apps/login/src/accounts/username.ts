/** Usernames: 3–32 characters of [a-zA-Z0-9_.-], unique regardless of case. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

export const USERNAME_RULE = '3 to 32 characters: letters, digits, "_", "." or "-"';

/**
 * Names a user could use to pass as the platform's staff. Refused on the open register endpoint;
 * the admin CLI may still create them.
 */
const RESERVED = new Set([
  'admin',
  'administrator',
  'root',
  'system',
  'support',
  'pupero',
  'moderator',
  'mod',
  'staff',
  'security',
  'help',
  'helpdesk',
  'official',
  'operator',
  'sysadmin',
  'escrow',
  'arbitrator',
  'webmaster',
]);

export type UsernameProblem = { ok: true } | { ok: false; reason: string };

export function checkUsername(username: string, options: { allowReserved?: boolean } = {}): UsernameProblem {
  if (!USERNAME_PATTERN.test(username)) return { ok: false, reason: `A username must be ${USERNAME_RULE}.` };
  if (!options.allowReserved && RESERVED.has(username.toLowerCase())) {
    return { ok: false, reason: `The username "${username}" is reserved; choose another.` };
  }
  return { ok: true };
}
