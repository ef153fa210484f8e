import { describe, expect, it } from 'vitest';
import { xmr } from '@pupero/money';
import { platformFee } from './fees.js';

describe('platformFee', () => {
  it('is zero by default', () => {
    expect(platformFee(xmr('1'), '0')).toBe(0n);
  });

  it('takes the percentage, rounded down to the piconero', () => {
    expect(platformFee(xmr('1'), '0.5')).toBe(xmr('0.005'));
    expect(platformFee(xmr('2'), '1')).toBe(xmr('0.02'));
    expect(platformFee(999n, '0.1')).toBe(0n); // 0.999 piconero rounds down
    expect(platformFee(xmr('0.000000000333'), '33.3333')).toBe(110n);
  });

  it('refuses 100 % or more', () => {
    expect(() => platformFee(xmr('1'), '100')).toThrow(RangeError);
  });
});
