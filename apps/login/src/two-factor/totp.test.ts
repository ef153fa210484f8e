import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, normaliseTotpCode, otpauthUrl, totpCodeAt, totpStep } from './totp.js';

/** Codes from Debian's oathtool: an implementation independent of ours. */
function oathtool(secret: string, unixSeconds?: number, digits = 6): string {
  const args = ['--totp', '-b', '-d', String(digits)];
  if (unixSeconds !== undefined) args.push('-N', `@${unixSeconds}`);
  return execFileSync('oathtool', [...args, secret], { encoding: 'utf8' }).trim();
}

// RFC 6238 appendix B, SHA1: the ASCII secret "12345678901234567890", 8 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it('matches the RFC 6238 SHA1 test vectors', () => {
    for (const [time, code] of RFC_VECTORS) {
      expect(totpCodeAt(RFC_SECRET, totpStep(new Date(time * 1000)), 8)).toBe(code);
    }
  });

  it('agrees with oathtool on fresh secrets at many times', () => {
    for (let i = 0; i < 5; i++) {
      const secret = newTotpSecret();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
      for (const time of [0, 59, 1_700_000_000 + i * 977, 2_000_000_000]) {
        expect(totpCodeAt(secret, totpStep(new Date(time * 1000)))).toBe(oathtool(secret, time));
      }
    }
  });

  it("accepts oathtool's current code, within ±1 step and never a spent step again", () => {
    const secret = newTotpSecret();
    const now = new Date();
    const code = oathtool(secret, Math.floor(now.getTime() / 1000));
    const step = totpStep(now);
    expect(matchTotp(secret, code, now, null)).toBe(step);
    expect(matchTotp(secret, code, now, BigInt(step))).toBeNull(); // replay
    expect(matchTotp(secret, code, new Date(now.getTime() + 30_000), null)).toBe(step); // one step late
    expect(matchTotp(secret, code, new Date(now.getTime() - 30_000), null)).toBe(step); // one step early
    expect(matchTotp(secret, code, new Date(now.getTime() + 61_000), null)).toBeNull(); // too late
    const next = totpCodeAt(secret, step + 1);
    expect(matchTotp(secret, next, now, BigInt(step))).toBe(step + 1); // the next step is still fresh
    expect(matchTotp(secret, totpCodeAt(secret, step - 1), now, BigInt(step))).toBeNull(); // older than the last used
  });

  it('refuses malformed codes and forgives spaces', () => {
    const secret = newTotpSecret();
    const now = new Date();
    const code = totpCodeAt(secret, totpStep(now));
    expect(matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(totpStep(now));
    expect(normaliseTotpCode('12345')).toBeNull();
    expect(normaliseTotpCode('abcdef')).toBeNull();
    expect(matchTotp(secret, '', now, null)).toBeNull();
  });

  it('builds the otpauth URL authenticator apps scan', () => {
    const url = new URL(otpauthUrl('JBSWY3DPEHPK3PXP', 'alice'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Pupero:alice');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Pupero',
      secret: 'JBSWY3DPEHPK3PXP',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
