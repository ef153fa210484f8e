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

/**
 * A counter that never refuses, only slows: once `freeFailures` failures were counted within the
 * window, every further attempt waits `baseDelayMs`, doubling per failure up to `maxDelayMs`.
 * Used per account, where a lock would let anyone lock the owner out.
 */
export interface DelayPolicy {
  freeFailures: number;
  windowSeconds: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Milliseconds the next attempt waits, given the failures counted so far. */
export function delayBeforeAttemptMs(state: ThrottleState, policy: DelayPolicy, now: Date): number {
  const windowOpen = state.windowStartedAt !== null && (now.getTime() - state.windowStartedAt.getTime()) / 1000 < policy.windowSeconds;
  const failures = windowOpen ? state.failures : 0;
  if (failures < policy.freeFailures || policy.maxDelayMs <= 0) return 0;
  return Math.min(policy.baseDelayMs * 2 ** Math.min(failures - policy.freeFailures, 30), policy.maxDelayMs);
}

/** The state after one more failure of a delay-only counter (it never locks). */
export function afterDelayedFailure(state: ThrottleState, policy: DelayPolicy, now: Date): ThrottleState {
  return afterFailure(state, { maxFailures: Infinity, windowSeconds: policy.windowSeconds, lockSeconds: 0, maxLockSeconds: 0 }, now);
}
