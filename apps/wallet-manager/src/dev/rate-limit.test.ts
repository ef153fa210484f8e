import { describe, expect, it } from 'vitest';
import { PerMinuteLimit } from './rate-limit.js';

describe('PerMinuteLimit', () => {
  it('allows the budget per key and minute, then says how long to wait', () => {
    let now = 1_000_000;
    const limit = new PerMinuteLimit(3, () => now);
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 0]);
    now += 15_500;
    expect(limit.take('a')).toBe(45);
    expect(limit.take('b')).toBe(0); // another user has their own budget
    now += 44_499;
    expect(limit.take('a')).toBe(1);
    now += 1;
    expect(limit.take('a')).toBe(0); // a new minute
  });

  it('refused calls do not extend the wait', () => {
    let now = 0;
    const limit = new PerMinuteLimit(1, () => now);
    expect(limit.take('a')).toBe(0);
    for (let i = 0; i < 50; i++) {
      now += 1000;
      limit.take('a');
    }
    now = 60_000;
    expect(limit.take('a')).toBe(0);
  });
});
