import { iso, one, type Queryable } from '@pupero/db';

/**
 * The event log: one row per thing that happened to a trade (created, paid, completed,
 * cancelled, expired, disputed, resolved, a chat message, feedback). It is the trade's timeline,
 * the source of the live streams (also across replicas) and what a reconnecting stream replays
 * from (Last-Event-ID). Written in the same transaction as the change it records.
 */
export type EventType =
  | 'trade_created'
  | 'trade_paid'
  | 'trade_completed'
  | 'trade_cancelled'
  | 'trade_expired'
  | 'trade_disputed'
  | 'trade_resolved'
  | 'message'
  | 'feedback';

export interface NewEvent {
  tradeId: string;
  /** Who is told on their personal stream (the trade's parties). */
  userIds: string[];
  type: EventType;
  actor: { id: string; username: string } | null;
  data: Record<string, unknown>;
}

export interface StoredEvent {
  id: bigint;
  tradeId: string | null;
  userIds: string[];
  type: EventType;
  actor: { id: string; username: string } | null;
  data: Record<string, unknown>;
  createdAt: string;
}

interface StoredEventRow {
  id: bigint;
  trade_id: string | null;
  user_ids: string[];
  type: EventType;
  actor_id: string | null;
  actor_username: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

const COLUMNS = 'id, trade_id, user_ids, type, actor_id, actor_username, data, created_at';

// The xFromRow shape of every store (docs/engineering.md): alike on purpose, each maps its own table's columns.
function storedEventFromRow(row: StoredEventRow): StoredEvent {
  return {
    id: row.id,
    tradeId: row.trade_id,
    userIds: row.user_ids,
    type: row.type,
    actor: row.actor_id ? { id: row.actor_id, username: row.actor_username ?? '' } : null,
    data: row.data,
    createdAt: iso(row.created_at),
  };
}

/** "{a,b}": an array literal, so both drivers pass it the same way. Ids never contain , { } " or spaces. */
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '')}"`).join(',')}}`;
}

export async function appendEvent(tx: Queryable, event: NewEvent): Promise<StoredEvent> {
  const row = await one<StoredEventRow>(
    tx,
    `INSERT INTO transactions.events (trade_id, user_ids, type, actor_id, actor_username, data)
     VALUES ($1, $2::text[], $3, $4, $5, $6::jsonb) RETURNING ${COLUMNS}`,
    [
      event.tradeId,
      textArray([...new Set(event.userIds)]),
      event.type,
      event.actor?.id ?? null,
      event.actor?.username ?? null,
      JSON.stringify(event.data),
    ],
  );
  return storedEventFromRow(row);
}

/** Every event after `afterId` (the cross-replica poller). */
export async function eventsAfter(db: Queryable, afterId: bigint, limit: number): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEventRow>(`SELECT ${COLUMNS} FROM transactions.events WHERE id > $1 ORDER BY id LIMIT $2`, [
    afterId,
    limit,
  ]);
  return rows.map(storedEventFromRow);
}

export async function latestEventId(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ id: bigint | null }>(`SELECT MAX(id) AS id FROM transactions.events`);
  return rows[0]?.id ?? 0n;
}

export async function tradeEvents(db: Queryable, tradeId: string, options: { afterId?: bigint; limit: number }): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEventRow>(
    `SELECT ${COLUMNS} FROM transactions.events WHERE trade_id = $1 AND ($2::bigint IS NULL OR id > $2::bigint) ORDER BY id LIMIT $3`,
    [tradeId, options.afterId ?? null, options.limit],
  );
  return rows.map(storedEventFromRow);
}

export async function userEvents(db: Queryable, userId: string, options: { afterId: bigint; limit: number }): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEventRow>(
    `SELECT ${COLUMNS} FROM transactions.events WHERE user_ids @> $1::text[] AND id > $2 ORDER BY id LIMIT $3`,
    [textArray([userId]), options.afterId, options.limit],
  );
  return rows.map(storedEventFromRow);
}

/** The JSON sent on streams and in timelines. */
export function eventJson(event: StoredEvent): Record<string, unknown> {
  return {
    id: event.id.toString(),
    type: event.type,
    trade_id: event.tradeId,
    actor: event.actor,
    created_at: event.createdAt,
    ...event.data,
  };
}
