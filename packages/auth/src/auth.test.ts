import assert from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, UnsecuredJWT } from 'jose';
import type { FastifyRequest } from 'fastify';
import { authGuards, createTokenVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER } from './index.js';

async function keys() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  return { privateKey, jwks: { keys: [jwk] } };
}

function token(privateKey: CryptoKey, overrides: { exp?: string; iss?: string; kid?: string } = {}) {
  return new SignJWT({ username: 'alice', roles: ['user', 'bogus'], sid: 's1' })
    .setProtectedHeader({ alg: 'EdDSA', kid: overrides.kid ?? 'k1' })
    .setSubject('u1')
    .setIssuer(overrides.iss ?? TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? '5m')
    .sign(privateKey);
}

describe('token verifier', () => {
  it('accepts a valid token and drops unknown roles', async () => {
    const { privateKey, jwks } = await keys();
    const user = await createTokenVerifier({ jwks }).verify(await token(privateKey));
    expect(user).toEqual({ id: 'u1', username: 'alice', roles: ['user'], sessionId: 's1' });
  });

  it('rejects another key, alg none, expiry, wrong issuer and tampering', async () => {
    const { privateKey, jwks } = await keys();
    const other = await keys();
    const verifier = createTokenVerifier({ jwks });
    await expect(verifier.verify(await token(other.privateKey))).rejects.toThrow();
    const unsecured = new UnsecuredJWT({ username: 'alice', roles: ['admin'], sid: 's1' })
      .setSubject('u1')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode();
    await expect(verifier.verify(unsecured)).rejects.toThrow();
    await expect(verifier.verify(await token(privateKey, { exp: '-1m' }))).rejects.toThrow();
    await expect(verifier.verify(await token(privateKey, { iss: 'evil' }))).rejects.toThrow();
    const good = await token(privateKey);
    const [h, p, s] = good.split('.');
    assert(h && p && s, 'a JWT has three parts');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.roles = ['admin'];
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    await expect(verifier.verify(tampered)).rejects.toThrow();
  });
});

describe('auth guards', () => {
  it('take ?access_token= only on event streams', async () => {
    const { privateKey, jwks } = await keys();
    const guards = authGuards(createTokenVerifier({ jwks }));
    const t = await token(privateKey);
    const request = (query: Record<string, string>) => ({ method: 'GET', headers: {}, query }) as unknown as FastifyRequest;
    await expect(guards.user(request({ access_token: t }))).rejects.toMatchObject({ statusCode: 401, code: 'authentication_required' });
    const streaming = request({ access_token: t });
    await guards.streamUser(streaming);
    expect(streaming.user?.id).toBe('u1');
    const header = { method: 'GET', headers: { authorization: `Bearer ${t}` }, query: {} } as unknown as FastifyRequest;
    await guards.user(header);
    expect(header.user?.username).toBe('alice');
  });
});
