import { readFileSync } from 'node:fs';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 5;

function loadCommonPasswords(): Set<string> {
  const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line && !line.startsWith('#')),
  );
}

const COMMON = loadCommonPasswords();

const LOOKALIKES: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '0': 'o', $: 's', '5': 's', '7': 't', '!': 'i', '|': 'l' };

/** "P@ssw0rd2024!" → "p@ssw0rd", "password", ...: the core a guesser would start from. */
function guessableCores(password: string): string[] {
  const core = password
    .toLowerCase()
    .replace(/^[^a-z@$|]+/, '')
    .replace(/[^a-z@$|]+$/, '');
  if (core.length < 4) return [];
  const swapped = [...core].map((c) => LOOKALIKES[c] ?? c).join('');
  return [...new Set([core, swapped.replace(/1/g, 'i'), swapped.replace(/1/g, 'l')])];
}

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

/** The rules of a new password. The reason is shown to the user as is. */
export function checkPassword(password: string, username: string): PasswordVerdict {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return { ok: false, reason: `The password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length}).` };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, reason: `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.` };
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (lower === name) return { ok: false, reason: 'The password must not be your username.' };
  if (COMMON.has(lower))
    return { ok: false, reason: 'This is one of the most common passwords, which attackers try first; choose another.' };
  const cores = guessableCores(password);
  if (cores.includes(name)) return { ok: false, reason: 'The password must not be your username with a few characters added.' };
  if (cores.some((core) => COMMON.has(core))) {
    return {
      ok: false,
      reason: 'This is a common password with digits or symbols added or swapped in; choose something less predictable.',
    };
  }
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    return { ok: false, reason: `The password uses too few different characters (at least ${MIN_DISTINCT_CHARACTERS} are needed).` };
  }
  return { ok: true };
}

export const commonPasswordCount = () => COMMON.size;
