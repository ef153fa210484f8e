/** The contract between the Login API (which signs) and every service (which verifies). */
export const TOKEN_ISSUER = 'pupero-login';
export const TOKEN_AUDIENCE = 'pupero';
export const TOKEN_ALGORITHM = 'EdDSA';
export const JWKS_PATH = '/auth/.well-known/jwks.json';

export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthUser {
  id: string;
  username: string;
  roles: Role[];
  /** The login session (refresh-token family) this access token belongs to. */
  sessionId: string;
}
