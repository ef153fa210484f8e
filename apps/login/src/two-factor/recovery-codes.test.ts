import assert from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('makes ten distinct codes of four groups', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
  });

  it('accepts what people type and refuses anything else', () => {
    const [code] = newRecoveryCodes(1);
    assert(code);
    const canonical = normaliseRecoveryCode(code)!;
    expect(canonical).toHaveLength(16);
    expect(normaliseRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(canonical);
    expect(normaliseRecoveryCode('ABCD-EFGH-JKMN-PQRS')).toBe('abcdefghjkmnpqrs');
    expect(normaliseRecoveryCode('o0il-0000-0000-0000')).toBe('0011000000000000');
    expect(normaliseRecoveryCode('123456')).toBeNull();
    expect(normaliseRecoveryCode('abcd-efgh-jkmn-pqru')).toBeNull();
  });

  it('hashes canonical codes so the stored value reveals nothing', () => {
    const hash = hashRecoveryCode('abcdefghjkmnpqrs');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('abcdefgh');
    expect(hashRecoveryCode('abcdefghjkmnpqrs')).toBe(hash);
  });
});
