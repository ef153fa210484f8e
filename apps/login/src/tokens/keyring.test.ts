import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { migrations } from '../migrations.js';
import { createSecretBox } from '../shared/secret-box.js';
import { KeyRing } from './keyring.js';
import { localVerifier, signAccessToken } from './access-tokens.js';

describe('signing key ring', () => {
  // The per-file test database of every store test (createTestDb + this service's migrations), inline like the others.
  let db: Db;
  const box = createSecretBox(randomBytes(32).toString('base64'));
  const ring = () => new KeyRing(db, box, { tokenLifetimeSeconds: 900, rotationDays: 90, unknownKidReloadMs: 0 });
  const user = {
    id: '5b1e7d3c-0000-4000-8000-000000000001',
    username: 'alice',
    roles: ['user' as const],
    sessionId: '5b1e7d3c-0000-4000-8000-000000000002',
  };

  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, 'login', migrations);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('makes one key on first start even when replicas start together, and keeps it across restarts', async () => {
    const [a, b] = [ring(), ring()];
    await Promise.all([a.init(), b.init()]);
    const { rows } = await db.query<{ kid: string; private_jwk: string }>('SELECT kid, private_jwk FROM login.signing_keys');
    const [stored] = rows;
    assert(stored && rows.length === 1, 'exactly one key');
    expect(stored.private_jwk).toMatch(/^v1:/); // sealed at rest
    const token = await signAccessToken(a, user, 900);
    const restarted = ring();
    await restarted.init();
    expect((await restarted.signer()).kid).toBe(stored.kid);
    await expect(localVerifier(restarted).verify(token)).resolves.toEqual(user);
  });

  it('rotates: the newest key signs, the old one stays published, and other replicas pick up the new kid', async () => {
    const a = ring();
    const b = ring();
    await a.init();
    await b.init();
    const oldToken = await signAccessToken(a, user, 900);
    const oldKid = (await a.signer()).kid;
    const newKid = await b.rotate();
    expect(newKid).not.toBe(oldKid);
    expect((await b.jwks()).keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    const newToken = await signAccessToken(b, user, 900);
    // replica a has not reloaded yet: a token with the unknown kid makes it look
    await expect(localVerifier(a).verify(newToken)).resolves.toEqual(user);
    await expect(localVerifier(b).verify(oldToken)).resolves.toEqual(user);
    expect((await a.signer()).kid).toBe(newKid);
  });
});
