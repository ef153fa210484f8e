/**
 * Brute-force throttling as pure functions over a counter: N failures within a window lock the
 * key; each further lock doubles (up to a maximum) until a day passes without failures.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
  maxLockSeconds: number;
}

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date | null;
  lastFailureAt: Date | null;
  /** Locks so far (drives the growing lock duration). */
  lockouts: number;
  lockedUntil: Date | null;
}

/** After this long without a failure, earlier lockouts are forgotten and locks start short again. */
export const LOCKOUT_MEMORY_SECONDS = 86_400;

export const EMPTY_STATE: ThrottleState = { failures: 0, windowStartedAt: null, lastFailureAt: null, lockouts: 0, lockedUntil: null };

/** Whole seconds until the key may try again; 0 when it is not locked. */
export function secondsLocked(state: ThrottleState, now: Date): number {
  if (!state.lockedUntil) return 0;
  const ms = state.lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export function lockDurationSeconds(policy: ThrottlePolicy, lockouts: number): number {
  return Math.min(policy.lockSeconds * 2 ** Math.min(lockouts, 30), policy.maxLockSeconds);
}

/** The state after one more failure; the failure that reaches the limit starts a lock. */
export function afterFailure(state: ThrottleState, policy: ThrottlePolicy, now: Date): ThrottleState {
  const t = now.getTime();
  const quietSince = state.lastFailureAt ? (t - state.lastFailureAt.getTime()) / 1000 : Infinity;
  const lockouts = quietSince >= LOCKOUT_MEMORY_SECONDS ? 0 : state.lockouts;
  const windowOpen = state.windowStartedAt !== null && (t - state.windowStartedAt.getTime()) / 1000 < policy.windowSeconds;
  const failures = (windowOpen ? state.failures : 0) + 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  if (failures >= policy.maxFailures) {
    const lock = lockDurationSeconds(policy, lockouts);
    return { failures: 0, windowStartedAt: null, lastFailureAt: now, lockouts: lockouts + 1, lockedUntil: new Date(t + lock * 1000) };
  }
  return { failures, windowStartedAt, lastFailureAt: now, lockouts, lockedUntil: state.lockedUntil };
}
