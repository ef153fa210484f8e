import { describe, expect, it } from 'vitest';
import { hash } from '@node-rs/argon2';
import { hashPassword, needsRehash, verifyPassword } from './password-hashing.js';

describe('password hashing', () => {
  it('makes argon2id hashes with m=19456, t=2, p=1 and verifies them', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('treats a malformed hash as a failed verification, and weaker hashes as needing a re-hash', async () => {
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(needsRehash(await hash('x', { memoryCost: 4096, timeCost: 1 }))).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });
});
