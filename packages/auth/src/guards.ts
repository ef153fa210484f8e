import type { FastifyRequest } from 'fastify';
import { errorHelpers, refusing } from '@pupero/http';
import type { AuthUser, Role } from './claims.js';
import { InvalidTokenError, type TokenVerifier } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthUser;
  }
}

function bearer(request: FastifyRequest, allowQueryToken: boolean): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  // EventSource cannot send headers: event streams (only) take ?access_token= (redacted in logs).
  // Elsewhere a token in a URL would only end up in browser history and Referer headers.
  const query = request.query as Record<string, unknown> | undefined;
  if (allowQueryToken && request.method === 'GET' && typeof query?.access_token === 'string') return query.access_token;
  return undefined;
}

/** Codes the guards answer with: part of the list of every service that checks tokens. */
export const AUTH_ERROR_CODES = ['authentication_required', 'invalid_token', 'forbidden'] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
const { unauthorized, forbidden } = errorHelpers(AUTH_ERROR_CODES);

/** preHandlers that put the verified caller on request.user, or refuse with 401/403. */
export function authGuards(verifier: TokenVerifier) {
  async function resolve(request: FastifyRequest, allowQueryToken = false): Promise<AuthUser | undefined> {
    const token = bearer(request, allowQueryToken);
    if (!token) return undefined;
    try {
      return await verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw unauthorized('invalid_token', 'The access token is invalid or expired; log in or refresh it.');
      }
      throw error;
    }
  }

  const user = async (request: FastifyRequest) => {
    const found = await resolve(request);
    if (!found) throw unauthorized('authentication_required', 'Log in first: send Authorization: Bearer <access_token>.');
    request.user = found;
  };

  /** For Server-Sent Events routes: like `user`, but the token may also come as ?access_token=. */
  const streamUser = async (request: FastifyRequest) => {
    const found = await resolve(request, true);
    if (!found)
      throw unauthorized(
        'authentication_required',
        'Log in first: send Authorization: Bearer <access_token> (or ?access_token= on event streams).',
      );
    request.user = found;
  };

  const optionalUser = async (request: FastifyRequest) => {
    request.user = await resolve(request);
  };

  const role = (...allowed: Role[]) =>
    refusing(
      async (request: FastifyRequest) => {
        await user(request);
        if (!request.user!.roles.some((r) => allowed.includes(r))) {
          throw forbidden('forbidden', `This needs the ${allowed.join(' or ')} role.`);
        }
      },
      [403],
    );

  return { user, streamUser, optionalUser, role };
}

export type AuthGuards = ReturnType<typeof authGuards>;

/** The authenticated caller; only valid after the `user` guard ran. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized('authentication_required', 'Log in first.');
  return request.user;
}

export function hasRole(user: AuthUser, ...roles: Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}
