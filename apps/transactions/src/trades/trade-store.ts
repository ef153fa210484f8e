import { one, type Queryable } from '@pupero/db';
import type { ClosedBy, ResolveOutcome, TradeFacts, TradeStatus } from './state-machine.js';

export interface TradeRow {
  id: string;
  seq: bigint;
  offer_id: string;
  offer_side: 'sell' | 'buy';
  maker_id: string;
  taker_id: string;
  buyer_id: string;
  buyer_username: string;
  seller_id: string;
  seller_username: string;
  amount: bigint;
  fee: bigint;
  price: string;
  fiat_amount: string;
  currency: string;
  payment_method: string;
  terms: string;
  payment_window_minutes: number;
  status: TradeStatus;
  payment_deadline: Date;
  closed_by: ClosedBy | null;
  cancelled_by: string | null;
  buyer_received: bigint | null;
  paid_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  dispute_reason: string | null;
  disputed_by: string | null;
  disputed_at: Date | null;
  resolution_outcome: ResolveOutcome | null;
  resolution_buyer_amount: bigint | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_by_username: string | null;
  resolved_at: Date | null;
  idempotency_key: string | null;
  request_fingerprint: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewTrade = Pick<
  TradeRow,
  | 'id'
  | 'offer_id'
  | 'offer_side'
  | 'maker_id'
  | 'taker_id'
  | 'buyer_id'
  | 'buyer_username'
  | 'seller_id'
  | 'seller_username'
  | 'amount'
  | 'fee'
  | 'price'
  | 'fiat_amount'
  | 'currency'
  | 'payment_method'
  | 'terms'
  | 'payment_window_minutes'
  | 'payment_deadline'
  | 'idempotency_key'
  | 'request_fingerprint'
  | 'created_at'
>;

export function factsOf(row: TradeRow): TradeFacts {
  return {
    status: row.status,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
    paymentDeadline: row.payment_deadline,
    closedBy: row.closed_by,
    resolutionOutcome: row.resolution_outcome,
    resolutionBuyerAmount: row.resolution_buyer_amount,
  };
}

const COLUMNS = `id, seq, offer_id, offer_side, maker_id, taker_id, buyer_id, buyer_username, seller_id, seller_username,
  amount, fee, price, fiat_amount, currency, payment_method, terms, payment_window_minutes, status, payment_deadline,
  closed_by, cancelled_by, buyer_received, paid_at, completed_at, cancelled_at, dispute_reason, disputed_by, disputed_at,
  resolution_outcome, resolution_buyer_amount, resolution_note, resolved_by, resolved_by_username, resolved_at,
  idempotency_key, request_fingerprint, created_at, updated_at`;

export async function insertTrade(tx: Queryable, t: NewTrade): Promise<TradeRow> {
  const fields = Object.keys(t) as Array<keyof NewTrade>;
  return one<TradeRow>(
    tx,
    `INSERT INTO transactions.trades (${fields.join(', ')}, status, updated_at)
     VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')}, 'escrowed', $${fields.indexOf('created_at') + 1})
     RETURNING ${COLUMNS}`,
    fields.map((f) => t[f]),
  );
}

export async function findTrade(db: Queryable, id: string): Promise<TradeRow | undefined> {
  const { rows } = await db.query<TradeRow>(`SELECT ${COLUMNS} FROM transactions.trades WHERE id = $1`, [id]);
  return rows[0];
}

/**
 * Locks the trade for a state change. Always the FIRST lock a trade command takes (accounts come
 * after, in code order). NO KEY UPDATE: chat and events only reference the trade (KEY SHARE) and
 * must not wait for a release to commit.
 */
export async function lockTrade(tx: Queryable, id: string): Promise<TradeRow | undefined> {
  const { rows } = await tx.query<TradeRow>(`SELECT ${COLUMNS} FROM transactions.trades WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  return rows[0];
}

/** Trades still holding money that this user started as the taker (uses the taker_id index). */
/** Serialises one taker's trade starts until the end of the transaction `tx` (keeps the open-trades count exact). */
export async function lockTakerTrades(tx: Queryable, takerId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pupero-taker:${takerId}`]);
}

export async function countOpenTradesAsTaker(q: Queryable, takerId: string): Promise<number> {
  const { n } = await one<{ n: bigint }>(
    q,
    `SELECT count(*)::bigint AS n FROM transactions.trades WHERE taker_id = $1 AND status IN ('escrowed', 'paid', 'disputed')`,
    [takerId],
  );
  return Number(n);
}

export async function findByIdempotencyKey(db: Queryable, takerId: string, key: string): Promise<TradeRow | undefined> {
  const { rows } = await db.query<TradeRow>(`SELECT ${COLUMNS} FROM transactions.trades WHERE taker_id = $1 AND idempotency_key = $2`, [
    takerId,
    key,
  ]);
  return rows[0];
}

export type TradePatch = Partial<
  Pick<
    TradeRow,
    | 'status'
    | 'closed_by'
    | 'cancelled_by'
    | 'buyer_received'
    | 'paid_at'
    | 'completed_at'
    | 'cancelled_at'
    | 'dispute_reason'
    | 'disputed_by'
    | 'disputed_at'
    | 'resolution_outcome'
    | 'resolution_buyer_amount'
    | 'resolution_note'
    | 'resolved_by'
    | 'resolved_by_username'
    | 'resolved_at'
  >
> & { updated_at: Date };

export async function updateTrade(tx: Queryable, id: string, patch: TradePatch): Promise<TradeRow> {
  const fields = Object.keys(patch) as Array<keyof TradePatch>;
  const { rows } = await tx.query<TradeRow>(
    `UPDATE transactions.trades SET ${fields.map((f, i) => `${f} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...fields.map((f) => patch[f])],
  );
  if (!rows[0]) throw new Error(`trade ${id} vanished during an update`);
  return rows[0];
}

/** The user's trades (as buyer or seller), newest first; keyset-paginated by seq. */
export async function listUserTrades(
  db: Queryable,
  userId: string,
  options: { status?: TradeStatus; limit: number; beforeSeq?: bigint },
): Promise<TradeRow[]> {
  const { rows } = await db.query<TradeRow>(
    `SELECT ${COLUMNS} FROM transactions.trades
      WHERE (buyer_id = $1 OR seller_id = $1)
        AND ($2::text IS NULL OR status = $2::text)
        AND ($3::bigint IS NULL OR seq < $3::bigint)
      ORDER BY seq DESC LIMIT $4`,
    [userId, options.status ?? null, options.beforeSeq ?? null, options.limit],
  );
  return rows;
}

/** Open disputes, oldest first (the queue moderators work through). */
export async function listOpenDisputes(db: Queryable, options: { limit: number; afterSeq?: bigint }): Promise<TradeRow[]> {
  const { rows } = await db.query<TradeRow>(
    `SELECT ${COLUMNS} FROM transactions.trades
      WHERE status = 'disputed' AND ($1::bigint IS NULL OR seq > $1::bigint)
      ORDER BY seq ASC LIMIT $2`,
    [options.afterSeq ?? null, options.limit],
  );
  return rows;
}

/**
 * Claims one escrowed trade whose payment window has passed, locked for this transaction.
 * SKIP LOCKED: replicas sweeping at the same time (or a party acting on the trade right now)
 * never wait on each other, and never handle the same trade twice.
 */
export async function claimExpiredTrade(tx: Queryable, now: Date): Promise<TradeRow | undefined> {
  const { rows } = await tx.query<TradeRow>(
    `SELECT ${COLUMNS} FROM transactions.trades
      WHERE status = 'escrowed' AND payment_deadline <= $1
      ORDER BY payment_deadline LIMIT 1
      FOR NO KEY UPDATE SKIP LOCKED`,
    [now],
  );
  return rows[0];
}
