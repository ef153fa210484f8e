import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '@pupero/db';
import type { ClientInfo } from '../shared/client-info.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';

export type RevokeReason = 'logout' | 'password_changed' | 'two_factor_enabled' | 'refresh_token_reused' | 'user_request' | 'admin_action';

export interface NewSession {
  sessionId: string;
  refreshToken: string;
}

const DAY_MS = 86_400_000;
/** Session ids are uuids; anything else is refused before it reaches a uuid cast. */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Starts a session (one login) with its first refresh token. */
export async function createSession(q: Queryable, userId: string, client: ClientInfo, refreshTtlDays: number): Promise<NewSession> {
  const sessionId = randomUUID();
  const refreshToken = newRefreshToken();
  const expiresAt = new Date(Date.now() + refreshTtlDays * DAY_MS);
  await q.query('INSERT INTO login.sessions (id, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)', [
    sessionId,
    userId,
    expiresAt,
    client.ip,
    client.userAgent,
  ]);
  await q.query('INSERT INTO login.refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)', [
    hashRefreshToken(refreshToken),
    sessionId,
    expiresAt,
  ]);
  return { sessionId, refreshToken };
}

export type RotateOutcome =
  | { kind: 'rotated'; sessionId: string; userId: string; refreshToken: string }
  /** An already-rotated token came back: someone holds a copy. The session is now revoked. */
  | { kind: 'reused'; sessionId: string; userId: string }
  | { kind: 'invalid'; reason: 'unknown' | 'expired' | 'revoked' };

interface TokenRow {
  session_id: string;
  user_id: string;
  token_expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Exchanges a refresh token for a new one. The token row and its session are locked, so two
 * concurrent uses of one token cannot both succeed: the second counts as reuse.
 */
export async function rotateRefreshToken(db: Db, presented: string, refreshTtlDays: number): Promise<RotateOutcome> {
  const tokenHash = hashRefreshToken(presented);
  return db.transaction(async (tx): Promise<RotateOutcome> => {
    const { rows } = await tx.query<TokenRow>(
      `SELECT t.session_id, s.user_id, t.expires_at AS token_expires_at, t.rotated_at, s.revoked_at
         FROM login.refresh_tokens t JOIN login.sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t, s`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return { kind: 'invalid', reason: 'unknown' };
    if (row.revoked_at) return { kind: 'invalid', reason: 'revoked' };
    if (row.rotated_at) {
      await revokeSession(tx, row.session_id, 'refresh_token_reused');
      return { kind: 'reused', sessionId: row.session_id, userId: row.user_id };
    }
    if (row.token_expires_at.getTime() <= Date.now()) return { kind: 'invalid', reason: 'expired' };
    const refreshToken = newRefreshToken();
    const expiresAt = new Date(Date.now() + refreshTtlDays * DAY_MS);
    await tx.query('UPDATE login.refresh_tokens SET rotated_at = now() WHERE token_hash = $1', [tokenHash]);
    await tx.query('INSERT INTO login.refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)', [
      hashRefreshToken(refreshToken),
      row.session_id,
      expiresAt,
    ]);
    await tx.query('UPDATE login.sessions SET last_refreshed_at = now(), expires_at = $2 WHERE id = $1', [row.session_id, expiresAt]);
    return { kind: 'rotated', sessionId: row.session_id, userId: row.user_id, refreshToken };
  });
}

/** The session a refresh token (current or already rotated) belongs to, if any. */
export async function sessionOfRefreshToken(
  q: Queryable,
  presented: string,
): Promise<{ sessionId: string; userId: string; revoked: boolean } | undefined> {
  const { rows } = await q.query<{ session_id: string; user_id: string; revoked_at: Date | null }>(
    `SELECT t.session_id, s.user_id, s.revoked_at FROM login.refresh_tokens t JOIN login.sessions s ON s.id = t.session_id WHERE t.token_hash = $1`,
    [hashRefreshToken(presented)],
  );
  return rows[0] && { sessionId: rows[0].session_id, userId: rows[0].user_id, revoked: rows[0].revoked_at !== null };
}

export async function revokeSession(q: Queryable, sessionId: string, reason: RevokeReason): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE login.sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
    [sessionId, reason],
  );
  return rowCount > 0;
}

/** Ends one of a user's own active sessions; false if the user has no such active session. */
export async function revokeOwnSession(q: Queryable, userId: string, sessionId: string, reason: RevokeReason): Promise<boolean> {
  if (!SESSION_ID.test(sessionId)) return false;
  const { rowCount } = await q.query(
    'UPDATE login.sessions SET revoked_at = now(), revoked_reason = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [sessionId, userId, reason],
  );
  return rowCount > 0;
}

/** Revokes every active session of a user except `keep` (the caller's own). Returns how many. */
export async function revokeOtherSessions(q: Queryable, userId: string, keep: string | null, reason: RevokeReason): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE login.sessions SET revoked_at = now(), revoked_reason = $3
      WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2)`,
    [userId, keep, reason],
  );
  return rowCount;
}

/** Whether an access token's session still stands (not logged out, not revoked, not expired). */
export async function isSessionActive(q: Queryable, sessionId: string, userId: string): Promise<boolean> {
  if (!SESSION_ID.test(sessionId)) return false;
  const { rows } = await q.query<{ ok: boolean }>(
    'SELECT true AS ok FROM login.sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()',
    [sessionId, userId],
  );
  return rows.length > 0;
}

export interface SessionView {
  id: string;
  created_at: string;
  last_refreshed_at: string | null;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}

interface SessionRow {
  id: string;
  created_at: Date;
  last_refreshed_at: Date | null;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

const sessionViewFromRow = (r: SessionRow, currentSessionId: string): SessionView => ({
  id: r.id,
  created_at: r.created_at.toISOString(),
  last_refreshed_at: r.last_refreshed_at?.toISOString() ?? null,
  expires_at: r.expires_at.toISOString(),
  ip: r.ip,
  user_agent: r.user_agent,
  current: r.id === currentSessionId,
});

export async function listActiveSessions(q: Queryable, userId: string, currentSessionId: string): Promise<SessionView[]> {
  const { rows } = await q.query<SessionRow>(
    `SELECT id, created_at, last_refreshed_at, expires_at, ip, user_agent FROM login.sessions
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 100`,
    [userId],
  );
  return rows.map((r) => sessionViewFromRow(r, currentSessionId));
}

/** Deletes refresh tokens and sessions that ended more than a day ago (nothing can use them). */
export async function sweepSessions(q: Queryable): Promise<number> {
  const tokens = await q.query(`DELETE FROM login.refresh_tokens WHERE expires_at < now() - interval '1 day'`);
  const sessions = await q.query(
    `DELETE FROM login.sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '30 days'`,
  );
  return tokens.rowCount + sessions.rowCount;
}
