import { USERNAME_PATTERN } from './username.js';
import { isUniqueViolation, type Queryable } from '@pupero/db';
import { ROLES, type Role } from '@pupero/auth';

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: Date;
  roles: Role[];
  /** Sealed (see SecretBox); null when 2FA is off. */
  totpSecret: string | null;
  totpLastStep: bigint | null;
  totpPendingSecret: string | null;
}

/** The public shape of a user (GET /auth/me, login, /internal/users/{id}). */
export interface UserView {
  id: string;
  username: string;
  roles: Role[];
  two_factor_enabled: boolean;
  created_at: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    roles: user.roles,
    two_factor_enabled: user.totpSecret !== null,
    created_at: user.createdAt.toISOString(),
  };
}

export class UsernameTakenError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are uuids; anything else cannot name a user (and must not reach a uuid cast). */
export const isUserId = (id: string) => UUID.test(id);

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  created_at: Date;
  totp_secret: string | null;
  totp_last_step: bigint | null;
  totp_pending_secret: string | null;
  roles: string[] | null;
}

const SELECT_USER = `
  SELECT u.id, u.username, u.password_hash, u.created_at, u.totp_secret, u.totp_last_step, u.totp_pending_secret,
         (SELECT array_agg(r.role) FROM login.user_roles r WHERE r.user_id = u.id) AS roles
    FROM login.users u`;

/** Every user is a "user"; extra roles in the canonical order user, moderator, admin. */
export function rolesOf(extra: readonly string[] | null): Role[] {
  return ROLES.filter((role) => role === 'user' || (extra ?? []).includes(role));
}

function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    roles: rolesOf(row.roles),
    totpSecret: row.totp_secret,
    totpLastStep: row.totp_last_step,
    totpPendingSecret: row.totp_pending_secret,
  };
}

/**
 * Usernames are ASCII (USERNAME_PATTERN), so anything else names nobody. Lower-casing here (not in
 * SQL) keeps one notion of "the same name" with the throttle keys: Postgres lower() and JavaScript
 * toLowerCase() disagree on some Unicode letters ("İ"), which would give one account two counters.
 */
export async function findUserByUsername(q: Queryable, username: string): Promise<User | undefined> {
  if (!USERNAME_PATTERN.test(username)) return undefined;
  const { rows } = await q.query<UserRow>(`${SELECT_USER} WHERE lower(u.username) = $1`, [username.toLowerCase()]);
  return rows[0] && userFromRow(rows[0]);
}

export async function findUserById(q: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<User | undefined> {
  if (!isUserId(id)) return undefined;
  const { rows } = await q.query<UserRow>(`${SELECT_USER} WHERE u.id = $1${options.forUpdate ? ' FOR UPDATE OF u' : ''}`, [id]);
  return rows[0] && userFromRow(rows[0]);
}

export async function insertUser(q: Queryable, user: { id: string; username: string; passwordHash: string }): Promise<User> {
  try {
    await q.query('INSERT INTO login.users (id, username, password_hash) VALUES ($1, $2, $3)', [user.id, user.username, user.passwordHash]);
  } catch (error) {
    if (isUniqueViolation(error, 'users_username_lower_key')) throw new UsernameTakenError(user.username);
    throw error;
  }
  return (await findUserById(q, user.id))!;
}

export async function updatePasswordHash(q: Queryable, userId: string, passwordHash: string): Promise<void> {
  await q.query('UPDATE login.users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [userId, passwordHash]);
}

/** Adds an extra role (idempotent); false when the user already had it. */
export async function insertUserRole(q: Queryable, userId: string, role: Role): Promise<boolean> {
  const { rowCount } = await q.query('INSERT INTO login.user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, role]);
  return rowCount > 0;
}

/** Removes an extra role; false when the user did not have it. */
export async function deleteUserRole(q: Queryable, userId: string, role: Role): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM login.user_roles WHERE user_id = $1 AND role = $2', [userId, role]);
  return rowCount > 0;
}

/** Users with a role beyond "user" (moderators, admins), by username. */
export async function listUsersWithExtraRoles(q: Queryable): Promise<User[]> {
  const { rows } = await q.query<UserRow>(
    `${SELECT_USER} WHERE EXISTS (SELECT 1 FROM login.user_roles r WHERE r.user_id = u.id) ORDER BY lower(u.username)`,
  );
  return rows.map(userFromRow);
}

export interface UserListPage {
  items: User[];
  nextCursor: string | null;
}

/** Users by username (case-insensitive order), optionally those starting with `prefix`; cursor = last username. */
export async function listUsers(q: Queryable, options: { prefix?: string; limit: number; after?: string }): Promise<UserListPage> {
  const prefix = options.prefix ? options.prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%' : null;
  const { rows } = await q.query<UserRow>(
    `${SELECT_USER}
      WHERE ($1::text IS NULL OR lower(u.username) LIKE $1)
        AND ($2::text IS NULL OR lower(u.username) > $2)
      ORDER BY lower(u.username)
      LIMIT $3`,
    [prefix, options.after?.toLowerCase() ?? null, options.limit + 1],
  );
  const items = rows.slice(0, options.limit).map(userFromRow);
  return { items, nextCursor: rows.length > options.limit ? (items.at(-1)?.username.toLowerCase() ?? null) : null };
}
