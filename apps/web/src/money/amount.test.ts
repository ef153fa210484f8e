import { describe, expect, it } from 'vitest';
import { checkMarginInput, checkPriceInput, checkXmrInput, displayFiat, displayXmr, fiatFor, normaliseAmountInput, sumXmr } from './amount';

describe('XMR amount input', () => {
  it('accepts plain decimals and converts exactly to atomic units', () => {
    expect(checkXmrInput('0.25')).toEqual({ ok: true, atomic: 250_000_000_000n, text: '0.25' });
    expect(checkXmrInput('1')).toEqual({ ok: true, atomic: 1_000_000_000_000n, text: '1' });
    expect(checkXmrInput('0.000000000001')).toEqual({ ok: true, atomic: 1n, text: '0.000000000001' });
  });

  it('does not lose precision where a float would', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004.
    expect(sumXmr('0.1', '0.2')).toBe('0.3');
    const big = checkXmrInput('9007199.254740993');
    expect(big.ok && big.atomic).toBe(9_007_199_254_740_993_000n);
  });

  it('normalises what people type', () => {
    expect(normaliseAmountInput(' 0,5 ')).toBe('0.5');
    expect(normaliseAmountInput('.5')).toBe('0.5');
    expect(normaliseAmountInput('1 000.5')).toBe('1000.5');
    expect(checkXmrInput('1.50')).toMatchObject({ ok: true, text: '1.5' });
    expect(checkXmrInput('2.')).toMatchObject({ ok: true, text: '2' });
  });

  it('refuses malformed, too precise, zero and out-of-limit amounts with a plain message', () => {
    expect(checkXmrInput('')).toEqual({ ok: false, message: 'Enter an amount.' });
    expect(checkXmrInput('abc')).toMatchObject({ ok: false, message: expect.stringMatching(/digits/) });
    expect(checkXmrInput('-1')).toMatchObject({ ok: false });
    expect(checkXmrInput('1e3')).toMatchObject({ ok: false });
    expect(checkXmrInput('0.0000000000001')).toMatchObject({ ok: false, message: expect.stringMatching(/12 decimal/) });
    expect(checkXmrInput('0')).toMatchObject({ ok: false, message: expect.stringMatching(/greater than zero/) });
    expect(checkXmrInput('0', { allowZero: true })).toMatchObject({ ok: true, atomic: 0n });
    expect(checkXmrInput('0.05', { min: '0.1', max: '2' })).toEqual({ ok: false, message: 'The minimum is 0.1 XMR.' });
    expect(checkXmrInput('2.000000000001', { min: '0.1', max: '2' })).toEqual({ ok: false, message: 'The maximum is 2 XMR.' });
    expect(checkXmrInput('2', { min: '0.1', max: '2' })).toMatchObject({ ok: true });
    expect(checkXmrInput('99999999')).toMatchObject({ ok: false, message: expect.stringMatching(/too large/) });
  });

  it('displays XMR with grouping and never rounds', () => {
    expect(displayXmr('1234.5')).toBe('1,234.5000');
    expect(displayXmr('0.000000000001')).toBe('0.000000000001');
    expect(displayXmr('0')).toBe('0.0000');
    expect(displayXmr('-0.5')).toBe('-0.5000');
    expect(displayXmr(undefined)).toBe('—');
  });

  it('computes the fiat total exactly, rounded half up to cents', () => {
    expect(fiatFor('0.5', '150.25')).toBe('75.13'); // 75.125 -> 75.13
    expect(fiatFor('1.000000000001', '100')).toBe('100.00');
    expect(fiatFor('3', '0.1')).toBe('0.30');
    expect(fiatFor('', '150')).toBeUndefined();
    expect(fiatFor('1', undefined)).toBeUndefined();
    expect(displayFiat('12345.5', 'EUR')).toBe('12,345.50 EUR');
  });

  it('checks prices and margins', () => {
    expect(checkPriceInput('150.25')).toEqual({ ok: true, text: '150.25' });
    expect(checkPriceInput('0')).toMatchObject({ ok: false });
    expect(checkPriceInput('1.123456789')).toMatchObject({ ok: false });
    expect(checkMarginInput('-2.5')).toEqual({ ok: true, text: '-2.5' });
    expect(checkMarginInput('+3')).toEqual({ ok: true, text: '3' });
    expect(checkMarginInput('-50')).toEqual({ ok: true, text: '-50' });
    expect(checkMarginInput('-50.01')).toMatchObject({ ok: false, message: expect.stringMatching(/between -50% and 50%/) });
    expect(checkMarginInput('1.125')).toMatchObject({ ok: false });
    expect(checkMarginInput('abc')).toMatchObject({ ok: false });
  });
});
