import { parsePgBigint } from '@pupero/db';
import type { Queryable } from '@pupero/db';
import type { ClientInfo } from '../shared/client-info.js';

/** Security events a user can read about their own account (GET /auth/events). */
export const SECURITY_EVENT_TYPES = [
  'registered',
  'login_succeeded',
  'login_failed',
  'logout',
  'refresh_token_reused',
  'password_changed',
  'two_factor_enabled',
  'two_factor_disabled',
  'two_factor_failed',
  'recovery_code_used',
  'role_granted',
  'role_revoked',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Short facts only (a reason, a role, a session id): never a secret. */
export type EventDetails = Record<string, string>;

export interface SecurityEvent {
  id: string;
  type: SecurityEventType;
  created_at: string;
  ip: string | null;
  user_agent: string | null;
  details: EventDetails;
}

export async function recordEvent(
  q: Queryable,
  event: { userId: string | null; type: SecurityEventType; client?: ClientInfo | null; details?: EventDetails },
): Promise<void> {
  await q.query('INSERT INTO login.security_events (user_id, type, ip, user_agent, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    event.userId,
    event.type,
    event.client?.ip ?? null,
    event.client?.userAgent ?? null,
    JSON.stringify(event.details ?? {}),
  ]);
}

interface SecurityEventRow {
  id: bigint;
  type: SecurityEventType;
  created_at: Date;
  ip: string | null;
  user_agent: string | null;
  details: EventDetails | string;
}

const securityEventFromRow = (row: SecurityEventRow): SecurityEvent => ({
  id: String(row.id),
  type: row.type,
  created_at: row.created_at.toISOString(),
  ip: row.ip,
  user_agent: row.user_agent,
  details: typeof row.details === 'string' ? (JSON.parse(row.details) as EventDetails) : row.details,
});

export const encodeCursor = (id: bigint) => Buffer.from(`e:${id}`).toString('base64url');

/** The id a cursor points at, or undefined for a cursor this service never issued. */
export function decodeCursor(cursor: string): bigint | undefined {
  const match = /^e:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match?.[1];
  return id === undefined ? undefined : parsePgBigint(id);
}

/** One user's events, newest first. */
export async function listEvents(q: Queryable, userId: string, options: { limit: number; before?: bigint }) {
  const { rows } = await q.query<SecurityEventRow>(
    `SELECT id, type, created_at, ip, user_agent, details FROM login.security_events
      WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3`,
    [userId, options.before ?? null, options.limit + 1],
  );
  const items = rows.slice(0, options.limit).map(securityEventFromRow);
  const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
  return { items, next_cursor: last ? encodeCursor(last.id) : null };
}

export async function deleteEventsOlderThan(q: Queryable, days: number): Promise<number> {
  const { rowCount } = await q.query('DELETE FROM login.security_events WHERE created_at < now() - make_interval(days => $1)', [days]);
  return rowCount;
}
