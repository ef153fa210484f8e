import { describe, expect, it } from 'vitest';
import { AppError } from '@pupero/http';
import { compareBookPositions } from './book-order.js';
import { decodeCursor, encodeCursor, type BookPosition } from './cursor.js';

const position: BookPosition = { side: 'buy', currency: 'EUR', key: 1_502_500_000_000_000n, id: '0b9d1c8e-6a0e-4a6e-9d47-3f1f0f9f6a11' };

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'threw';
  }
  return undefined;
}

describe('book cursors', () => {
  it('round-trip as url-safe opaque text', () => {
    const cursor = encodeCursor(position, { currency: 'EUR' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { currency: 'EUR' })).toEqual(position);
  });

  it('are refused with other filters', () => {
    const cursor = encodeCursor(position, { currency: 'EUR', amount: 5n });
    expect(errorCode(() => decodeCursor(cursor, { currency: 'EUR' }))).toBe('invalid_cursor');
    expect(errorCode(() => decodeCursor(cursor, { currency: 'EUR', amount: 6n }))).toBe('invalid_cursor');
    expect(errorCode(() => decodeCursor(cursor, { currency: 'EUR', amount: 5n }))).toBeUndefined();
  });

  it('refuse garbage and tampering', () => {
    const good = JSON.parse(Buffer.from(encodeCursor(position, {}), 'base64url').toString());
    const forge = (changes: object) => Buffer.from(JSON.stringify({ ...good, ...changes })).toString('base64url');
    for (const bad of [
      '',
      'not a cursor!',
      'x'.repeat(500),
      Buffer.from('{"v":1').toString('base64url'),
      forge({ v: 2 }),
      forge({ s: 'hold' }),
      forge({ k: '-5' }),
      forge({ k: 1.5 }),
      forge({ i: "1' OR 1=1" }),
      forge({ c: 'eur' }),
      forge({ extra: true }),
    ]) {
      expect(
        errorCode(() => decodeCursor(bad, {})),
        bad,
      ).toBe('invalid_cursor');
    }
  });
});

describe('book order', () => {
  const at = (side: 'sell' | 'buy', currency: string, key: bigint, id: string): BookPosition => ({ side, currency, key, id });
  it('puts sell before buy, then currency, then price best for the taker, then id', () => {
    const ordered = [
      at('sell', 'EUR', 100n, 'a'),
      at('sell', 'EUR', 100n, 'b'),
      at('sell', 'EUR', 101n, 'a'),
      at('sell', 'USD', 50n, 'a'),
      at('buy', 'EUR', 200n, 'b'),
      at('buy', 'EUR', 200n, 'a'),
      at('buy', 'EUR', 199n, 'c'),
      at('buy', 'USD', 1n, 'a'),
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareBookPositions)).toEqual(ordered);
  });
});
