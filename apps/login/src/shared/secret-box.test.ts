import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

describe('secret box', () => {
  const key = randomBytes(32).toString('base64');

  it('seals with AES-GCM so the stored value does not contain the secret, and opens it again', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toBe(box.seal('JBSWY3DPEHPK3PXP', 'totp:u1'));
    expect(box.open(sealed, 'totp:u1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value moved to another row, a wrong key, and a tampered value', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('secret', 'totp:u1');
    expect(() => box.open(sealed, 'totp:u2')).toThrow(/does not open/);
    expect(() => createSecretBox(randomBytes(32).toString('base64')).open(sealed, 'totp:u1')).toThrow(/does not open/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered, 'totp:u1')).toThrow();
  });

  it('stores plainly without a key, reads plain values with a key, and needs the key for sealed ones', () => {
    const plain = createSecretBox();
    expect(plain.encrypting).toBe(false);
    const stored = plain.seal('abc', 'x');
    expect(stored).toBe('plain:abc');
    expect(createSecretBox(key).open(stored, 'x')).toBe('abc');
    expect(() => plain.open(createSecretBox(key).seal('abc', 'x'), 'x')).toThrow(/set LOGIN_SECRETS_KEY/);
  });

  it('rejects a key of the wrong length', () => {
    expect(() => createSecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
