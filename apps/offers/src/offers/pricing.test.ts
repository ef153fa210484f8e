import { describe, expect, it } from 'vitest';
import { effectivePrice, formatFiatPrice, formatMargin, marginBoundForKey, parseFiatPrice, parseMarginBp, sortKey } from './pricing.js';

const p = parseFiatPrice;

describe('margins', () => {
  it('parses percents with up to 2 decimals into basis points', () => {
    expect(parseMarginBp('2.5')).toBe(250n);
    expect(parseMarginBp('-2.5')).toBe(-250n);
    expect(parseMarginBp('+1.25')).toBe(125n);
    expect(parseMarginBp('0')).toBe(0n);
    expect(parseMarginBp('-50.00')).toBe(-5000n);
    expect(parseMarginBp('1.234')).toBeUndefined();
    expect(parseMarginBp('abc')).toBeUndefined();
    expect(parseMarginBp('100')).toBeUndefined();
    expect(parseMarginBp('')).toBeUndefined();
    expect(parseMarginBp('1e2')).toBeUndefined();
  });

  it('formats basis points back as a plain percent', () => {
    expect(formatMargin(250n)).toBe('2.5');
    expect(formatMargin(-125n)).toBe('-1.25');
    expect(formatMargin(0n)).toBe('0');
    expect(formatMargin(-5000n)).toBe('-50');
  });
});

describe('effective price', () => {
  it('is the price of a fixed offer, whatever the market', () => {
    expect(effectivePrice({ type: 'fixed', price: p('150.25') }, p('999'))).toBe(p('150.25'));
    expect(effectivePrice({ type: 'fixed', price: p('150.25') }, undefined)).toBe(p('150.25'));
  });

  it('applies the margin to the market price, rounded half up to 8 decimals', () => {
    expect(formatFiatPrice(effectivePrice({ type: 'market', marginBp: 250n }, p('160'))!)).toBe('164.00');
    expect(formatFiatPrice(effectivePrice({ type: 'market', marginBp: -1000n }, p('160'))!)).toBe('144.00');
    // 0.00000001 × 1.0001 = 0.000000010001 → 0.00000001; 0.0000005 × 1.01 = 0.000000505 → 0.00000051 (half up)
    expect(effectivePrice({ type: 'market', marginBp: 1n }, 1n)).toBe(1n);
    expect(effectivePrice({ type: 'market', marginBp: 100n }, 50n)).toBe(51n);
    // 123.45678901 × 0.9875 = 121.913579147375 → 121.91357915
    expect(formatFiatPrice(effectivePrice({ type: 'market', marginBp: -125n }, p('123.45678901'))!)).toBe('121.91357915');
  });

  it('is unknown for a market offer without a market price', () => {
    expect(effectivePrice({ type: 'market', marginBp: 0n }, undefined)).toBeUndefined();
  });

  it('sorts fixed and market offers on one exact scale', () => {
    // 160 × 1.025 = 164 exactly: equal keys (ties are broken by id).
    expect(sortKey({ type: 'fixed', price: p('164') }, p('160'))).toBe(sortKey({ type: 'market', marginBp: 250n }, p('160')));
    expect(sortKey({ type: 'fixed', price: p('164.00000001') }, undefined)! > sortKey({ type: 'market', marginBp: 250n }, p('160'))!).toBe(
      true,
    );
  });
});

describe('margin bound for a cursor key', () => {
  // Deterministic pseudo-random numbers, so a failure can be replayed.
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  it('never excludes a market offer on the wanted side of the key, and is tight', () => {
    for (let i = 0; i < 2000; i++) {
      const market = BigInt(1 + rand(5_000_000_000)) * 10n ** BigInt(rand(6));
      const key =
        i % 2 === 0
          ? sortKey({ type: 'market', marginBp: BigInt(rand(10001) - 5000) }, market)!
          : BigInt(rand(1e9)) * 10n ** BigInt(rand(12));
      const asc = marginBoundForKey(key, market, 'asc');
      const desc = marginBoundForKey(key, market, 'desc');
      for (const margin of [asc - 1n, asc, asc + 1n, desc - 1n, desc, desc + 1n]) {
        if (margin < -5000n || margin > 5000n) continue;
        const k = sortKey({ type: 'market', marginBp: margin }, market)!;
        // asc: margins below the bound all have smaller keys; desc: margins above it all have larger keys.
        if (margin < asc) expect(k < key).toBe(true);
        if (margin === asc) expect(k >= key).toBe(true);
        if (margin > desc) expect(k > key).toBe(true);
        if (margin === desc) expect(k <= key).toBe(true);
      }
    }
  });

  it('clamps keys far outside the margin limits', () => {
    expect(marginBoundForKey(0n, p('160'), 'asc')).toBe(-5001n);
    expect(marginBoundForKey(10n ** 30n, p('160'), 'asc')).toBe(5001n);
    expect(marginBoundForKey(10n ** 30n, p('160'), 'desc')).toBe(5001n);
  });
});
