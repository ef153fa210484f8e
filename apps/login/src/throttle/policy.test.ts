import { describe, expect, it } from 'vitest';
import {
  afterDelayedFailure,
  afterFailure,
  delayBeforeAttemptMs,
  EMPTY_STATE,
  lockDurationSeconds,
  secondsLocked,
  type DelayPolicy,
  type ThrottlePolicy,
  type ThrottleState,
} from './policy.js';

const policy: ThrottlePolicy = { maxFailures: 10, windowSeconds: 900, lockSeconds: 60, maxLockSeconds: 3600 };
const at = (s: number) => new Date(Date.UTC(2025, 0, 1) + s * 1000);

function fail(state: ThrottleState, times: number, start: number, step = 1): ThrottleState {
  let s = state;
  for (let i = 0; i < times; i++) s = afterFailure(s, policy, at(start + i * step));
  return s;
}

describe('throttle policy', () => {
  it('locks on the 10th failure within the window, for the base duration', () => {
    const nine = fail(EMPTY_STATE, 9, 0);
    expect(secondsLocked(nine, at(9))).toBe(0);
    const ten = afterFailure(nine, policy, at(9));
    expect(secondsLocked(ten, at(9))).toBe(60);
    expect(secondsLocked(ten, at(68.5))).toBe(1);
    expect(secondsLocked(ten, at(69))).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const spread = fail(EMPTY_STATE, 12, 0, 100); // one failure every 100 s: never 10 within 900 s
    expect(secondsLocked(spread, at(1100))).toBe(0);
    expect(spread.failures).toBeLessThan(10);
  });

  it('doubles each further lock up to the maximum, and starts short again after a quiet day', () => {
    let s = EMPTY_STATE;
    const locks: number[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      s = fail(s, 10, t);
      t += 9;
      locks.push(secondsLocked(s, at(t)));
      t = (s.lockedUntil!.getTime() - at(0).getTime()) / 1000; // the next round starts when the lock ends
    }
    expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    const later = fail(s, 10, t + 86_400);
    expect(secondsLocked(later, at(t + 86_409))).toBe(60);
  });

  it('caps the exponent so huge lockout counts stay finite', () => {
    expect(lockDurationSeconds(policy, 10_000)).toBe(3600);
  });
});

describe('delay-only policy', () => {
  const delay: DelayPolicy = { freeFailures: 10, windowSeconds: 900, baseDelayMs: 100, maxDelayMs: 2000 };
  const count = (times: number, start: number) => {
    let s = EMPTY_STATE;
    for (let i = 0; i < times; i++) s = afterDelayedFailure(s, delay, at(start + i));
    return s;
  };

  it('adds nothing for the first failures, then doubles up to the maximum, and never locks', () => {
    expect(delayBeforeAttemptMs(count(9, 0), delay, at(10))).toBe(0);
    expect(delayBeforeAttemptMs(count(10, 0), delay, at(10))).toBe(100);
    expect(delayBeforeAttemptMs(count(11, 0), delay, at(11))).toBe(200);
    expect(delayBeforeAttemptMs(count(14, 0), delay, at(14))).toBe(1600);
    const many = count(500, 0);
    expect(delayBeforeAttemptMs(many, delay, at(500))).toBe(2000);
    expect(secondsLocked(many, at(500))).toBe(0);
  });

  it('forgets failures once the window has passed', () => {
    const s = count(20, 0);
    expect(delayBeforeAttemptMs(s, delay, at(899))).toBe(2000);
    expect(delayBeforeAttemptMs(s, delay, at(900))).toBe(0);
  });
});
