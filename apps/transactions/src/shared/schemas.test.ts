import { describe, expect, it } from 'vitest';
import { cursorQuery, plainText } from './schemas.js';

describe('shared schemas', () => {
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
