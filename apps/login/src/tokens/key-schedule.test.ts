import { describe, expect, it } from 'vitest';
import { publishedKeys, rotationDue, signingKey } from './key-schedule.js';

const day = 86_400_000;
const t0 = Date.UTC(2025, 0, 1);
const keys = [
  { kid: 'old', createdAt: new Date(t0) },
  { kid: 'new', createdAt: new Date(t0 + 90 * day) },
];

describe('key schedule', () => {
  it('signs with the newest key', () => {
    expect(signingKey(keys)?.kid).toBe('new');
    expect(signingKey([])).toBeUndefined();
  });

  it('keeps publishing the previous key until its tokens have expired', () => {
    const rotated = t0 + 90 * day;
    expect(publishedKeys(keys, new Date(rotated + 60_000), 900).map((k) => k.kid)).toEqual(['new', 'old']);
    expect(publishedKeys(keys, new Date(rotated + (900 + 360 - 1) * 1000), 900).map((k) => k.kid)).toEqual(['new', 'old']);
    expect(publishedKeys(keys, new Date(rotated + (900 + 360) * 1000), 900).map((k) => k.kid)).toEqual(['new']);
  });

  it('rotates when there is no key or the newest is older than the period', () => {
    expect(rotationDue([], new Date(t0), 90)).toBe(true);
    expect(rotationDue(keys, new Date(t0 + 179 * day), 90)).toBe(false);
    expect(rotationDue(keys, new Date(t0 + 180 * day), 90)).toBe(true);
    expect(rotationDue(keys, new Date(t0 + 1000 * day), 0)).toBe(false);
  });
});
