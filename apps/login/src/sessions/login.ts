import { badRequest, unauthorized } from '../shared/errors.js';
import type { AuthUser } from '@pupero/auth';
import type { LoginContext } from '../context.js';
import type { ClientInfo } from '../shared/client-info.js';
import { recordEvent } from '../audit/audit-store.js';
import { hashPassword, needsRehash, verifyPassword } from '../accounts/password-hashing.js';
import { findUserById, findUserByUsername, toUserView, updatePasswordHash, type User, type UserView } from '../accounts/users-store.js';
import { loginTargets } from '../throttle/targets.js';
import { verifySecondFactor } from '../two-factor/two-factor.js';
import { signAccessToken } from '../tokens/access-tokens.js';
import { looksLikeRefreshToken } from './refresh-tokens.js';
import { createSession, revokeSession, rotateRefreshToken, sessionOfRefreshToken } from './sessions-store.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
}

export interface LoginInput {
  username: string;
  password: string;
  totpCode?: string;
  recoveryCode?: string;
}

const invalidCredentials = () => unauthorized('invalid_credentials', 'The username or password is wrong.');

async function issueAccessToken(ctx: LoginContext, user: User, sessionId: string): Promise<string> {
  const claims: AuthUser = { id: user.id, username: user.username, roles: user.roles, sessionId };
  return signAccessToken(ctx.keys, claims, ctx.config.ACCESS_TOKEN_TTL_SECONDS);
}

/**
 * Password, then (if on) the second factor, then a new session. Unknown usernames and wrong
 * passwords take the same path: a counted attempt (or 429 when this address is locked for this
 * name, or this address altogether; an account attacked from elsewhere is only slowed down), one
 * argon2 verification (against a dummy hash when there is no such user), an event row, and the same error.
 */
export async function login(ctx: LoginContext, input: LoginInput, client: ClientInfo): Promise<TokenPair & { user: UserView }> {
  if (input.totpCode !== undefined && input.recoveryCode !== undefined) {
    throw badRequest('validation_failed', 'Send either totp_code or recovery_code, not both.');
  }
  const attempt = await ctx.throttle.attempt(loginTargets(input.username, client.ip));

  const user = await findUserByUsername(ctx.db, input.username);
  const passwordOk = await verifyPassword(user?.passwordHash ?? ctx.dummyHash, input.password);
  if (!user || !passwordOk) {
    await recordEvent(ctx.db, { userId: user?.id ?? null, type: 'login_failed', client, details: { reason: 'invalid_credentials' } });
    throw invalidCredentials();
  }
  // The password was right: this was no guess (the second factor has its own counters).
  await attempt.succeeded();

  if (user.totpSecret) {
    if (input.totpCode === undefined && input.recoveryCode === undefined) {
      throw unauthorized(
        'two_factor_required',
        'Two-factor authentication is on for this account: a code is missing. Send totp_code (the 6-digit code of your authenticator app) or a recovery_code.',
        { reason: 'missing_code' },
      );
    }
    const method = await verifySecondFactor(ctx, user, { totpCode: input.totpCode, recoveryCode: input.recoveryCode }, client, 'login');
    if (!method) {
      await recordEvent(ctx.db, { userId: user.id, type: 'login_failed', client, details: { reason: 'invalid_two_factor_code' } });
      throw unauthorized(
        'two_factor_required',
        'The two-factor code is wrong or was already used: send the current code of your authenticator app or an unused recovery code.',
        { reason: 'invalid_code' },
      );
    }
  }

  if (needsRehash(user.passwordHash)) await updatePasswordHash(ctx.db, user.id, await hashPassword(input.password));
  const session = await ctx.db.transaction(async (tx) => {
    const created = await createSession(tx, user.id, client, ctx.config.REFRESH_TOKEN_TTL_DAYS);
    await recordEvent(tx, { userId: user.id, type: 'login_succeeded', client, details: { session_id: created.sessionId } });
    return created;
  });
  return {
    access_token: await issueAccessToken(ctx, user, session.sessionId),
    refresh_token: session.refreshToken,
    token_type: 'Bearer',
    expires_in: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
    user: toUserView(user),
  };
}

const invalidRefresh = (message: string) => unauthorized('invalid_refresh_token', message);

/** Rotates a refresh token; a rotated one coming back revokes its whole session. */
export async function refresh(ctx: LoginContext, presented: string, client: ClientInfo): Promise<TokenPair> {
  if (!looksLikeRefreshToken(presented)) throw invalidRefresh('This is not a refresh token; log in again.');
  const outcome = await rotateRefreshToken(ctx.db, presented, ctx.config.REFRESH_TOKEN_TTL_DAYS);
  if (outcome.kind === 'reused') {
    await recordEvent(ctx.db, { userId: outcome.userId, type: 'refresh_token_reused', client, details: { session_id: outcome.sessionId } });
    throw unauthorized(
      'refresh_token_reused',
      'This refresh token was already used once. As a precaution the whole session has been ended; log in again.',
    );
  }
  if (outcome.kind === 'invalid') {
    const why = { unknown: 'is not known', expired: 'has expired', revoked: 'belongs to a session that has ended' }[outcome.reason];
    throw invalidRefresh(`This refresh token ${why}; log in again.`);
  }
  const user = await findUserById(ctx.db, outcome.userId);
  if (!user) throw invalidRefresh('The account of this session no longer exists.');
  return {
    access_token: await issueAccessToken(ctx, user, outcome.sessionId),
    refresh_token: outcome.refreshToken,
    token_type: 'Bearer',
    expires_in: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** Ends the session a refresh token belongs to (current or already rotated). Unknown tokens are ignored. */
export async function logout(ctx: LoginContext, presented: string, client: ClientInfo): Promise<void> {
  if (!looksLikeRefreshToken(presented)) return;
  const session = await sessionOfRefreshToken(ctx.db, presented);
  if (!session || session.revoked) return;
  await ctx.db.transaction(async (tx) => {
    if (await revokeSession(tx, session.sessionId, 'logout')) {
      await recordEvent(tx, { userId: session.userId, type: 'logout', client, details: { session_id: session.sessionId } });
    }
  });
}
