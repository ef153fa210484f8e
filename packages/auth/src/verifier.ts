import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ROLES, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type AuthUser, type Role } from './claims.js';

export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
}

export class InvalidTokenError extends Error {}

type KeySource = Parameters<typeof jwtVerify>[1];

/**
 * Verifies access tokens locally against the Login API's public keys (JWKS), fetched once and
 * cached; an unknown `kid` triggers a refetch (key rotation). Only EdDSA is accepted, so
 * `alg: none`, HMAC-with-the-public-key and other downgrade tricks fail.
 */
export function createTokenVerifier(source: { jwksUrl: string } | { jwks: JSONWebKeySet }): TokenVerifier {
  const keys: KeySource =
    'jwksUrl' in source
      ? createRemoteJWKSet(new URL(source.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5000 })
      : createLocalJWKSet(source.jwks);
  return {
    async verify(token: string): Promise<AuthUser> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [TOKEN_ALGORITHM],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          requiredClaims: ['sub', 'exp', 'iat', 'sid'],
        }));
      } catch (error) {
        throw new InvalidTokenError((error as Error).message);
      }
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
      if (typeof payload.sub !== 'string' || typeof payload.username !== 'string' || typeof payload.sid !== 'string') {
        throw new InvalidTokenError('token is missing its subject claims');
      }
      return { id: payload.sub, username: payload.username, roles, sessionId: payload.sid };
    },
  };
}
