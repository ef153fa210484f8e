import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane). @node-rs/argon2 runs on libuv's
 * thread pool, so hashing never blocks the event loop.
 */
export const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum upstream; isolatedModules cannot read it)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} satisfies Options;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** False (never an exception) for a wrong password or a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with weaker parameters than today's (re-hash it at the next login). */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== ARGON2_OPTIONS.algorithm || used.memoryCost < ARGON2_OPTIONS.memoryCost || used.timeCost < ARGON2_OPTIONS.timeCost
    );
  } catch {
    return true;
  }
}

/**
 * A hash of a random password, made once at start: logins of unknown usernames verify against it
 * so they cost the same time as a wrong password for a real account.
 */
export function makeDummyHash(): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64url'));
}
