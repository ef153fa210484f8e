import { describe, expect, it } from 'vitest';
import { checkPassword, commonPasswordCount } from './password-policy.js';

const reasonOf = (password: string, username = 'alice') => {
  const verdict = checkPassword(password, username);
  return verdict.ok ? 'ok' : verdict.reason;
};

describe('password policy', () => {
  it('bundles a few hundred common passwords', () => {
    expect(commonPasswordCount()).toBeGreaterThan(300);
  });

  it('accepts long, unusual passwords (counting characters, not bytes)', () => {
    expect(reasonOf('correct horse battery staple')).toBe('ok');
    expect(reasonOf('pw-k3j4h5g6-Strong!')).toBe('ok');
    expect(reasonOf('ünïcødé-pässwörd')).toBe('ok');
    expect(reasonOf('日本語のパスワードです')).toBe('ok');
  });

  it('says why a password is refused', () => {
    expect(reasonOf('short1!')).toMatch(/at least 10 characters.*has 7/);
    expect(reasonOf('x'.repeat(257))).toMatch(/at most 256/);
    expect(reasonOf('alice_trader', 'Alice_Trader')).toMatch(/not be your username/);
    expect(reasonOf('alice_trader2024!', 'alice_trader')).toMatch(/username with a few characters/);
    expect(reasonOf('password123')).toMatch(/most common/);
    expect(reasonOf('QWERTYUIOP')).toMatch(/most common/);
    expect(reasonOf('1234567890')).toMatch(/most common/);
    expect(reasonOf('Password2024!')).toMatch(/common password with digits or symbols/);
    expect(reasonOf('P@ssw0rd1234')).toMatch(/common password with digits or symbols/);
    expect(reasonOf('!!monero2025')).toMatch(/common password with digits or symbols/);
    expect(reasonOf('abababababab')).toMatch(/too few different characters/);
  });
});
