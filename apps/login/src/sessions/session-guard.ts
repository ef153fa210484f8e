import type { FastifyRequest } from 'fastify';
import { InvalidTokenError, currentUser, type Role } from '@pupero/auth';
import { forbidden, unauthorized } from '../shared/errors.js';
import type { LoginContext } from '../context.js';
import { findUserById, type User } from '../accounts/users-store.js';
import { isSessionActive } from './sessions-store.js';
import { refusing } from '@pupero/http';

const invalidToken = (message = 'The access token is invalid or expired; log in or refresh it.') => unauthorized('invalid_token', message);

/**
 * The login service's own authentication: the same token verification as every service, plus a
 * check that the token's session still stands, so logout, a password change or refresh-token reuse
 * take effect here at once (elsewhere within the token's ≤15-minute lifetime).
 */
export function sessionGuards(ctx: Pick<LoginContext, 'db' | 'verifier'>) {
  const user = async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw unauthorized('authentication_required', 'Log in first: send Authorization: Bearer <access_token>.');
    }
    let verified;
    try {
      verified = await ctx.verifier.verify(header.slice(7).trim());
    } catch (error) {
      if (error instanceof InvalidTokenError) throw invalidToken();
      throw error;
    }
    if (!(await isSessionActive(ctx.db, verified.sessionId, verified.id))) {
      throw invalidToken('This session has ended (logout, password change or a reused refresh token); log in again.');
    }
    request.user = verified;
  };

  /** Roles are read from the database here, not the token, so a revoked role stops at once. */
  const role = (...allowed: Role[]) =>
    refusing(
      async (request: FastifyRequest) => {
        await user(request);
        const record = await findUserById(ctx.db, currentUser(request).id);
        if (!record || !record.roles.some((r) => allowed.includes(r)))
          throw forbidden('forbidden', `This needs the ${allowed.join(' or ')} role.`);
      },
      [403],
    );

  return { user, role };
}

export type SessionGuards = ReturnType<typeof sessionGuards>;

/** The caller's account (after the `user` guard); a deleted account is an ended session. */
export async function callerAccount(ctx: LoginContext, request: FastifyRequest): Promise<User> {
  const record = await findUserById(ctx.db, currentUser(request).id);
  if (!record) throw invalidToken('This account no longer exists.');
  return record;
}
