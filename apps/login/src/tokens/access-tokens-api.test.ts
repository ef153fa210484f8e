import { one } from '@pupero/db';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, verifierFromConfig } from '@pupero/auth';
import { jwtParts, registerAndLogin } from '../test-helpers.js';

/**
 * Forged and broken access tokens are refused by /auth/me and by @pupero/auth's verifier over the
 * JWKS URL (what every other service uses), while real ones pass both.
 */
describe('access tokens', () => {
  let stack: TestStack;
  let user: Awaited<ReturnType<typeof registerAndLogin>>;
  let realKey: { kid: string; key: CryptoKey };

  beforeAll(async () => {
    stack = await startTestStack({ services: ['login'] });
    user = await registerAndLogin(stack);
    const stored = await one<{ kid: string; private_jwk: string }>(stack.db, 'SELECT kid, private_jwk FROM login.signing_keys');
    const jwk = JSON.parse(stored.private_jwk.replace(/^plain:/, '')) as JWK;
    realKey = { kid: stored.kid, key: (await importJWK(jwk, 'EdDSA')) as CryptoKey };
  });
  afterAll(async () => {
    await stack?.close();
  });

  const claims = () => {
    const { payload } = jwtParts(user.token);
    return { username: payload.username, roles: payload.roles, sid: payload.sid } as Record<string, unknown>;
  };

  function sign(
    key: CryptoKey,
    kid: string,
    options: { exp?: number | string; iss?: string; aud?: string; roles?: string[]; alg?: string } = {},
  ) {
    return new SignJWT({ ...claims(), ...(options.roles ? { roles: options.roles } : {}) })
      .setProtectedHeader({ alg: options.alg ?? 'EdDSA', kid })
      .setSubject(user.id)
      .setIssuer(options.iss ?? TOKEN_ISSUER)
      .setAudience(options.aud ?? TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(key);
  }

  async function forgedTokens(): Promise<Record<string, string>> {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const [h, p, s] = user.token.split('.');
    assert(h && p && s, 'a JWT has three parts');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = [h, Buffer.from(JSON.stringify({ ...payload, roles: ['user', 'admin'] })).toString('base64url'), s].join('.');
    const jwks = (await stack.request('GET', '/auth/.well-known/jwks.json')).body;
    const publicX = new TextEncoder().encode(jwks.keys[0].x);
    const hmacWithPublicKey = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: realKey.kid })
      .setSubject(user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(publicX);
    return {
      'signed with another key (same kid)': await sign(other.privateKey, realKey.kid),
      'signed with another key (unknown kid)': await sign(other.privateKey, 'made-up-kid'),
      'alg none': new UnsecuredJWT({ ...claims(), roles: ['admin'] })
        .setSubject(user.id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .encode(),
      'HS256 keyed with the public key': hmacWithPublicKey,
      expired: await sign(realKey.key, realKey.kid, { exp: Math.floor(Date.now() / 1000) - 60 }),
      'tampered payload': tampered,
      'wrong issuer': await sign(realKey.key, realKey.kid, { iss: 'evil' }),
      'wrong audience': await sign(realKey.key, realKey.kid, { aud: 'someone-else' }),
      'truncated signature': user.token.slice(0, -4),
    };
  }

  it('a control token signed with the real key is accepted', async () => {
    const token = await sign(realKey.key, realKey.kid);
    expect((await stack.request('GET', '/auth/me', undefined, { token })).status).toBe(200);
    await expect(verifierFromConfig(stack.common).verify(token)).resolves.toMatchObject({ id: user.id });
  });

  it('/auth/me refuses every forged or broken token with 401 invalid_token', async () => {
    for (const [name, token] of Object.entries(await forgedTokens())) {
      const res = await stack.request('GET', '/auth/me', undefined, { token });
      expect([name, res.status, res.body.error.code]).toEqual([name, 401, 'invalid_token']);
    }
  });

  it("the other services' verifier (@pupero/auth over the JWKS URL) refuses them too", async () => {
    const verifier = verifierFromConfig(stack.common);
    await expect(verifier.verify(user.token)).resolves.toMatchObject({ id: user.id, username: user.username, roles: ['user'] });
    for (const [name, token] of Object.entries(await forgedTokens())) {
      await expect(verifier.verify(token), name).rejects.toThrow();
    }
  });

  it('keys survive a restart: a second login service on the same database accepts earlier tokens', async () => {
    const restarted = await startTestStack({ services: ['login'], db: stack.db });
    try {
      expect((await restarted.request('GET', '/auth/me', undefined, { token: user.token })).status).toBe(200);
      const jwks = (await restarted.request('GET', '/auth/.well-known/jwks.json')).body;
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([realKey.kid]);
    } finally {
      await restarted.close();
    }
  });
});
