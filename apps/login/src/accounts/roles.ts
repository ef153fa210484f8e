import type { Db, Queryable } from '@pupero/db';
import { recordEvent } from '../audit/audit-store.js';
import { deleteUserRole, findUserByUsername, insertUserRole, type User } from './users-store.js';

/** Roles that can be granted; every account is a "user" anyway. */
export type GrantableRole = 'admin' | 'moderator';
export const GRANTABLE_ROLES: readonly GrantableRole[] = ['moderator', 'admin'];

export class UnknownUserError extends Error {
  constructor(username: string) {
    super(`No user named "${username}" exists (usernames are matched without regard to case).`);
    this.name = 'UnknownUserError';
  }
}

function assertGrantable(role: string): asserts role is GrantableRole {
  if (!GRANTABLE_ROLES.includes(role as GrantableRole))
    throw new Error(`Unknown role "${role}": use one of ${GRANTABLE_ROLES.join(', ')}.`);
}

/** Adds a role (idempotent). Returns whether it was new. */
export async function addRole(q: Queryable, userId: string, role: GrantableRole, by: string): Promise<boolean> {
  assertGrantable(role);
  const added = await insertUserRole(q, userId, role);
  if (added) await recordEvent(q, { userId, type: 'role_granted', details: { role, by } });
  return added;
}

/** Removes a role (idempotent). Returns whether the user had it. */
export async function removeRole(q: Queryable, userId: string, role: GrantableRole, by: string): Promise<boolean> {
  assertGrantable(role);
  const removed = await deleteUserRole(q, userId, role);
  if (removed) await recordEvent(q, { userId, type: 'role_revoked', details: { role, by } });
  return removed;
}

async function byUsername(db: Db, username: string): Promise<User> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new UnknownUserError(username);
  return user;
}

/**
 * Grants a role to a user found by username, case-insensitively (the admin CLI and tests use it).
 * Needs a database where the login migrations ran. Takes effect with the user's next token.
 */
export async function grantRole(db: Db, username: string, role: GrantableRole): Promise<void> {
  const user = await byUsername(db, username);
  await db.transaction((tx) => addRole(tx, user.id, role, 'admin-cli'));
}

/** Revokes a role; tokens already issued keep it until they expire (at most 15 minutes). */
export async function revokeRole(db: Db, username: string, role: GrantableRole): Promise<void> {
  const user = await byUsername(db, username);
  await db.transaction((tx) => removeRole(tx, user.id, role, 'admin-cli'));
}
