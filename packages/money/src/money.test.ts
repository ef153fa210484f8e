import { describe, expect, it } from 'vitest';
import { applyMargin, fiatTotal, formatXmr, parsePrice, parseXmr, formatPrice, xmrAmountString, xmrAmountText } from './index.js';

describe('xmr amounts', () => {
  it('parses decimal strings exactly into atomic units', () => {
    expect(parseXmr('0.25')).toBe(250_000_000_000n);
    expect(parseXmr('1')).toBe(1_000_000_000_000n);
    expect(parseXmr('0.000000000001')).toBe(1n);
    expect(parseXmr('9223372.036854775807')).toBe(9_223_372_036_854_775_807n);
  });
  it('refuses more than 12 decimals, signs, exponents and junk', () => {
    for (const bad of ['0.0000000000001', '-1', '1e3', 'abc', '', '1.', '.5', '0x10']) {
      expect(() => parseXmr(bad), bad).toThrow();
    }
  });
  it('refuses values beyond a Postgres bigint', () => {
    expect(() => parseXmr('9223372.036854775808')).toThrow(/larger/);
  });
  it('formats without trailing zeros and round-trips', () => {
    expect(formatXmr(250_000_000_000n)).toBe('0.25');
    expect(formatXmr(1_000_000_000_000n)).toBe('1');
    expect(formatXmr(0n)).toBe('0');
    expect(formatXmr(-5n)).toBe('-0.000000000005');
    for (const s of ['123.456789012345', '0.1', '42']) expect(formatXmr(parseXmr(s))).toBe(s);
  });
  it('schema accepts positive amounts only', () => {
    expect(xmrAmountString.safeParse('0.5').success).toBe(true);
    expect(xmrAmountString.safeParse('0').success).toBe(false);
    expect(xmrAmountString.safeParse('0.0000000000001').success).toBe(false);
    const tooLarge = xmrAmountString.safeParse('9999999999999');
    expect(tooLarge.success).toBe(false);
    expect(tooLarge.error?.issues[0]?.message).toMatch(/larger than any XMR amount the system can hold/);
  });
});

describe('the API amount schema', () => {
  it('names the field in each message, refuses zero unless allowed, and never goes past what the system holds', () => {
    const message = (schema: ReturnType<typeof xmrAmountText>, input: unknown) => schema.safeParse(input).error?.issues[0]?.message;
    expect(message(xmrAmountText('min_amount'), '0')).toBe('min_amount must be greater than zero');
    expect(message(xmrAmountText('fee'), '-1')).toMatch(/^fee must be a positive XMR amount like "0.25" with at most 12 decimals$/);
    expect(message(xmrAmountText('fee'), 1)).toMatch(/^fee must be an XMR amount as a string/);
    expect(message(xmrAmountText('amount'), '9999999999999')).toMatch(/larger than any XMR amount/);
    expect(xmrAmountText('fee', { allowZero: true }).safeParse('0').success).toBe(true);
    expect(xmrAmountText('fee', { allowZero: true }).safeParse('9223372.036854775808').success).toBe(false);
    expect(xmrAmountText('amount').safeParse('9223372.036854775807').success).toBe(true);
  });
});

describe('fiat', () => {
  it('computes fiat totals rounded to cents without floats', () => {
    expect(fiatTotal(parseXmr('0.1'), parsePrice('150.55'))).toBe('15.06');
    expect(fiatTotal(parseXmr('2'), parsePrice('0.1'))).toBe('0.20');
    expect(fiatTotal(parseXmr('0.000000000001'), parsePrice('100'))).toBe('0.00');
  });
  it('applies a market margin', () => {
    expect(formatPrice(applyMargin(parsePrice('200'), '2.5'))).toBe('205.00');
    expect(formatPrice(applyMargin(parsePrice('200'), '-10'))).toBe('180.00');
    expect(formatPrice(applyMargin(parsePrice('200'), '0'))).toBe('200.00');
  });
});
