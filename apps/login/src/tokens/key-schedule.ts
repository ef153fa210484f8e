/**
 * Which signing keys sign and which are published, as pure functions. The newest key signs; an
 * older key stays in the JWKS until every token it may have signed has expired (its successor's
 * creation + the longest token lifetime + a margin for replicas that have not reloaded yet).
 */
export interface KeyMeta {
  kid: string;
  createdAt: Date;
}

/** Replicas reload the key set at least this often, so they switch to a new key within it. */
export const KEY_RELOAD_SECONDS = 60;
/** Extra time an old public key stays published (clock skew, reload delay). */
export const PUBLISH_MARGIN_SECONDS = 300;

const newestFirst = (keys: readonly KeyMeta[]) =>
  [...keys].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.kid < b.kid ? 1 : -1));

export function signingKey<K extends KeyMeta>(keys: readonly K[]): K | undefined {
  return newestFirst(keys)[0] as K | undefined;
}

export function publishedKeys<K extends KeyMeta>(keys: readonly K[], now: Date, tokenLifetimeSeconds: number): K[] {
  const ordered = newestFirst(keys) as K[];
  const graceMs = (tokenLifetimeSeconds + KEY_RELOAD_SECONDS + PUBLISH_MARGIN_SECONDS) * 1000;
  // A key stays published while tokens signed by it may live: until its successor is older than the grace period.
  return ordered.filter((_key, index) => {
    const successor = ordered[index - 1];
    return !successor || now.getTime() < successor.createdAt.getTime() + graceMs;
  });
}

/** True when there is no key yet, or the newest is older than the rotation period (0 = never). */
export function rotationDue(keys: readonly KeyMeta[], now: Date, rotationDays: number): boolean {
  const newest = signingKey(keys);
  if (!newest) return true;
  return rotationDays > 0 && now.getTime() - newest.createdAt.getTime() >= rotationDays * 86_400_000;
}
