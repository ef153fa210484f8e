import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { createTokenVerifier, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type AuthUser, type TokenVerifier } from '@pupero/auth';
import type { KeyRing } from './keyring.js';

/** Signs short-lived access tokens with the claims of @pupero/auth's contract (claims.ts). */
export async function signAccessToken(ring: KeyRing, user: AuthUser, lifetimeSeconds: number, now = new Date()): Promise<string> {
  const { kid, key } = await ring.signer();
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ username: user.username, roles: user.roles, sid: user.sessionId })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(user.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .setJti(randomUUID())
    .sign(key);
}

/**
 * The login service verifies its own tokens with the very verifier every other service uses
 * (@pupero/auth), over its current key set instead of the JWKS URL.
 */
export function localVerifier(ring: KeyRing): TokenVerifier {
  let cached: { generation: number; builtAt: number; verifier: TokenVerifier } | undefined;
  return {
    async verify(token: string) {
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        kid = undefined; // not a JWT at all: the verifier below says so
      }
      await ring.ensureKnown(kid);
      // Rebuilt when keys change, and each minute so retired keys drop out as they leave the JWKS.
      if (!cached || cached.generation !== ring.generation || Date.now() - cached.builtAt > 60_000) {
        cached = { generation: ring.generation, builtAt: Date.now(), verifier: createTokenVerifier({ jwks: await ring.jwks() }) };
      }
      return cached.verifier.verify(token);
    },
  };
}
