import { describe, expect, it } from 'vitest';
import { parsePgBigint, PG_BIGINT_MAX } from './bigint.js';

describe('parsePgBigint', () => {
  it('accepts what a Postgres bigint holds and nothing else', () => {
    expect(parsePgBigint('0')).toBe(0n);
    expect(parsePgBigint('9223372036854775807')).toBe(PG_BIGINT_MAX);
    expect(parsePgBigint('9223372036854775808')).toBeUndefined();
    expect(parsePgBigint('9999999999999999999')).toBeUndefined();
    expect(parsePgBigint('-1')).toBeUndefined();
    expect(parsePgBigint('1e3')).toBeUndefined();
    expect(parsePgBigint('')).toBeUndefined();
  });
});
