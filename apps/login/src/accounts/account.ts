import { randomUUID } from 'node:crypto';
import { badRequest, conflict } from '../shared/errors.js';
import type { Db } from '@pupero/db';
import type { LoginContext } from '../context.js';
import type { ClientInfo } from '../shared/client-info.js';
import { recordEvent } from '../audit/audit-store.js';
import { loginTargets } from '../throttle/targets.js';
import { revokeOtherSessions } from '../sessions/sessions-store.js';
import { checkPassword } from './password-policy.js';
import { hashPassword, verifyPassword } from './password-hashing.js';
import { checkUsername } from './username.js';
import { findUserByUsername, insertUser, updatePasswordHash, UsernameTakenError, type User } from './users-store.js';

const taken = (username: string) =>
  conflict('username_taken', `The username "${username}" is taken (usernames are unique regardless of case).`);

/** Validates and creates an account (the open endpoint refuses reserved names; the admin CLI may not). */
export async function register(
  db: Db,
  input: { username: string; password: string },
  client: ClientInfo | null,
  options: { allowReserved?: boolean; via?: string } = {},
): Promise<User> {
  const name = checkUsername(input.username, options);
  if (!name.ok) throw badRequest('invalid_username', name.reason);
  const password = checkPassword(input.password, input.username);
  if (!password.ok) throw badRequest('weak_password', password.reason);
  // Cheap check first so a taken name costs no argon2 work; the unique index still decides races.
  if (await findUserByUsername(db, input.username)) throw taken(input.username);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, { id: randomUUID(), username: input.username, passwordHash });
      await recordEvent(tx, { userId: user.id, type: 'registered', client, details: options.via ? { via: options.via } : {} });
      return user;
    });
  } catch (error) {
    if (error instanceof UsernameTakenError) throw taken(input.username);
    throw error;
  }
}

/**
 * Changes the password after checking the current one (failures count like failed logins) and
 * ends every other session; the caller's own session stays.
 */
export async function changePassword(
  ctx: LoginContext,
  user: User,
  input: { currentPassword: string; newPassword: string },
  currentSessionId: string,
  client: ClientInfo,
): Promise<void> {
  const attempt = await ctx.throttle.attempt(loginTargets(user.username, client.ip));
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordEvent(ctx.db, {
      userId: user.id,
      type: 'login_failed',
      client,
      details: { reason: 'wrong_current_password', during: 'password_change' },
    });
    throw badRequest('invalid_current_password', 'The current password is wrong.');
  }
  await attempt.succeeded();
  const verdict = checkPassword(input.newPassword, user.username);
  if (!verdict.ok) throw badRequest('weak_password', verdict.reason);
  if (input.newPassword === input.currentPassword)
    throw badRequest('password_unchanged', 'The new password must differ from the current one.');
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await updatePasswordHash(tx, user.id, passwordHash);
    const revoked = await revokeOtherSessions(tx, user.id, currentSessionId, 'password_changed');
    await recordEvent(tx, { userId: user.id, type: 'password_changed', client, details: { other_sessions_ended: String(revoked) } });
  });
}
