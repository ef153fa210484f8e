import { describe, expect, it } from 'vitest';
import { cursorQuery, plainText, xmrAmount, xmrAmountOrZero } from './schemas.js';

describe('shared schemas', () => {
  it('accepts XMR amounts the ledger can hold and refuses the rest without throwing', () => {
    for (const ok of ['1', '0.000000000001', '9223372.036854775807', '0.25']) expect(xmrAmount.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['0', '0.0', '9223372.036854775808', '9999999999999', '1.0000000000001', '-1', '1e3', ' 1', '']) {
      expect(xmrAmount.safeParse(bad).success, bad).toBe(false);
    }
    expect(xmrAmountOrZero.safeParse('0').success).toBe(true);
    expect(xmrAmountOrZero.safeParse('9999999999999').success).toBe(false);
  });

  it('takes user text trimmed, without control characters', () => {
    expect(plainText(10).parse('  hi\n there ')).toBe('hi\n there');
    expect(plainText(5).safeParse('123456').success).toBe(false);
    expect(plainText(5).safeParse('a\u0007').success).toBe(false);
    expect(plainText(5).safeParse('a\tb').success).toBe(true);
  });

  it('refuses cursors a Postgres bigint cannot hold (a 400, not a database error)', () => {
    expect(cursorQuery.safeParse('9223372036854775807').success).toBe(true);
    expect(cursorQuery.safeParse('9999999999999999999').success).toBe(false);
    expect(cursorQuery.safeParse('12a').success).toBe(false);
  });
});
