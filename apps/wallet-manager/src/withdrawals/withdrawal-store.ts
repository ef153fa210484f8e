import { atomically, type Queryable } from '@pupero/db';
import type { WithdrawalStatus } from './domain.js';

export interface Withdrawal {
  id: string;
  userId: string;
  address: string;
  amount: bigint;
  fee: bigint;
  status: WithdrawalStatus;
  idempotencyKey: string;
  requestHash: string;
  batchId: string | null;
  networkFee: bigint | null;
  failureReason: string | null;
  lastError: string | null;
  /** Sign attempts that failed (counted only when the failure may be this withdrawal's). */
  attempts: number;
  /** Backoff: not tried again before this. */
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** From the batch, once signed. */
  txHash: string | null;
  confirmations: number | null;
}

export type BatchStatus = 'signed' | 'broadcast' | 'confirmed' | 'failed' | 'invalidating' | 'dropped';

export interface Batch {
  id: string;
  txHash: string;
  txMetadata: string;
  keyImages: string[];
  totalAmount: bigint;
  networkFee: bigint;
  status: BatchStatus;
  confirmations: number;
  /** Relays refused in a row (reset by an operator's retry). */
  relayFailures: number;
  nextRelayAt: Date | null;
  invalidateReason: string | null;
  replacementTxHash: string | null;
  createdAt: Date;
}

interface WithdrawalRow {
  id: string;
  user_id: string;
  address: string;
  amount: bigint;
  fee: bigint;
  status: WithdrawalStatus;
  idempotency_key: string;
  request_hash: string;
  batch_id: string | null;
  network_fee: bigint | null;
  failure_reason: string | null;
  last_error: string | null;
  attempts: number;
  next_attempt_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  tx_hash: string | null;
  confirmations: number | null;
}

const SELECT_WITHDRAWAL = `
  SELECT w.id, w.user_id, w.address, w.amount, w.fee, w.status, w.idempotency_key, w.request_hash, w.batch_id,
         w.network_fee, w.failure_reason, w.last_error, w.attempts, w.next_attempt_at, w.created_at, w.updated_at, b.tx_hash, b.confirmations
  FROM wallet.withdrawals w LEFT JOIN wallet.withdrawal_batches b ON b.id = w.batch_id`;

const withdrawalFromRow = (r: WithdrawalRow): Withdrawal => ({
  id: r.id,
  userId: r.user_id,
  address: r.address,
  amount: BigInt(r.amount),
  fee: BigInt(r.fee),
  status: r.status,
  idempotencyKey: r.idempotency_key,
  requestHash: r.request_hash,
  batchId: r.batch_id,
  networkFee: r.network_fee === null ? null : BigInt(r.network_fee),
  failureReason: r.failure_reason,
  lastError: r.last_error,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at === null ? null : new Date(r.next_attempt_at),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  txHash: r.tx_hash,
  confirmations: r.confirmations === null ? null : Number(r.confirmations),
});

interface BatchRow {
  id: string;
  tx_hash: string;
  tx_metadata: string;
  key_images: unknown;
  total_amount: bigint;
  network_fee: bigint;
  status: BatchStatus;
  confirmations: number;
  relay_failures: number;
  next_relay_at: Date | string | null;
  invalidate_reason: string | null;
  replacement_tx_hash: string | null;
  created_at: Date | string;
}

const BATCH_COLUMNS =
  'id, tx_hash, tx_metadata, key_images, total_amount, network_fee, status, confirmations, relay_failures, next_relay_at, invalidate_reason, replacement_tx_hash, created_at';

const batchFromRow = (r: BatchRow): Batch => ({
  id: r.id,
  txHash: r.tx_hash,
  txMetadata: r.tx_metadata,
  keyImages: (typeof r.key_images === 'string' ? JSON.parse(r.key_images) : r.key_images) as string[],
  totalAmount: BigInt(r.total_amount),
  networkFee: BigInt(r.network_fee),
  status: r.status,
  confirmations: Number(r.confirmations),
  relayFailures: Number(r.relay_failures),
  nextRelayAt: r.next_relay_at === null ? null : new Date(r.next_relay_at),
  invalidateReason: r.invalidate_reason,
  replacementTxHash: r.replacement_tx_hash,
  createdAt: new Date(r.created_at),
});

export interface StuckWithdrawal extends Withdrawal {
  batchStatus: BatchStatus | null;
  relayFailures: number | null;
  nextRelayAt: Date | null;
  replacementTxHash: string | null;
  batchError: string | null;
}

/** The rows of a batch changed under the worker: the signed transaction must be thrown away. */
export class BatchConflictError extends Error {}

export async function findWithdrawalByKey(q: Queryable, userId: string, key: string): Promise<Withdrawal | undefined> {
  const { rows } = await q.query<WithdrawalRow>(`${SELECT_WITHDRAWAL} WHERE w.user_id = $1 AND w.idempotency_key = $2`, [userId, key]);
  return rows[0] && withdrawalFromRow(rows[0]);
}

export async function findWithdrawal(q: Queryable, id: string): Promise<Withdrawal | undefined> {
  const { rows } = await q.query<WithdrawalRow>(`${SELECT_WITHDRAWAL} WHERE w.id = $1`, [id]);
  return rows[0] && withdrawalFromRow(rows[0]);
}

export async function findUserWithdrawal(q: Queryable, userId: string, id: string): Promise<Withdrawal | undefined> {
  const { rows } = await q.query<WithdrawalRow>(
    `${SELECT_WITHDRAWAL} WHERE w.id = $1 AND w.user_id = $2 AND w.status NOT IN ('requested', 'rejected')`,
    [id, userId],
  );
  return rows[0] && withdrawalFromRow(rows[0]);
}

export async function listUserWithdrawals(q: Queryable, userId: string, limit: number): Promise<Withdrawal[]> {
  const { rows } = await q.query<WithdrawalRow>(
    `${SELECT_WITHDRAWAL} WHERE w.user_id = $1 AND w.status NOT IN ('requested', 'rejected') ORDER BY w.created_at DESC, w.id LIMIT $2`,
    [userId, limit],
  );
  return rows.map(withdrawalFromRow);
}

/** Inserts a `requested` row; false when this user already used the idempotency key. */
export async function insertRequestedWithdrawal(
  q: Queryable,
  w: {
    id: string;
    userId: string;
    address: string;
    amount: bigint;
    fee: bigint;
    idempotencyKey: string;
    requestHash: string;
  },
): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO wallet.withdrawals (id, user_id, address, amount, fee, status, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7)
     ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id`,
    [w.id, w.userId, w.address, w.amount, w.fee, w.idempotencyKey, w.requestHash],
  );
  return rows.length === 1;
}

/** Locks the withdrawal's row for the rest of the transaction `q` (serialises hold + mark). */
export async function lockWithdrawal(q: Queryable, id: string): Promise<void> {
  await q.query('SELECT id FROM wallet.withdrawals WHERE id = $1 FOR UPDATE', [id]);
}

export async function markWithdrawalQueued(q: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await q.query(
    "UPDATE wallet.withdrawals SET status = 'queued', updated_at = now() WHERE id = $1 AND status = 'requested'",
    [id],
  );
  return rowCount > 0;
}

/** The ledger refused the hold: the row stays (so its Idempotency-Key keeps its outcome) but never holds money. */
export async function markWithdrawalRejected(q: Queryable, id: string, reason: string): Promise<boolean> {
  const { rowCount } = await q.query(
    "UPDATE wallet.withdrawals SET status = 'rejected', failure_reason = $2, updated_at = now() WHERE id = $1 AND status = 'requested'",
    [id, reason],
  );
  return rowCount > 0;
}

export async function staleRequestedWithdrawals(q: Queryable, olderThanSeconds: number): Promise<Withdrawal[]> {
  const { rows } = await q.query<WithdrawalRow>(
    `${SELECT_WITHDRAWAL} WHERE w.status = 'requested' AND w.created_at < now() - make_interval(secs => $1) ORDER BY w.created_at`,
    [olderThanSeconds],
  );
  return rows.map(withdrawalFromRow);
}

/** The oldest queued withdrawals (locked while read, skipping rows another worker holds). */
export async function oldestQueuedWithdrawals(q: Queryable, limit: number): Promise<Withdrawal[]> {
  return atomically(q, async (tx) => {
    const { rows } = await tx.query<WithdrawalRow>(
      `SELECT w.id, w.user_id, w.address, w.amount, w.fee, w.status, w.idempotency_key, w.request_hash, w.batch_id,
              w.network_fee, w.failure_reason, w.last_error, w.attempts, w.next_attempt_at, w.created_at, w.updated_at, NULL::text AS tx_hash, NULL::int AS confirmations
       FROM wallet.withdrawals w WHERE w.status = 'queued' AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= now())
       ORDER BY w.created_at, w.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(withdrawalFromRow);
  });
}

/**
 * Stores a signed (not yet relayed) transaction and moves its withdrawals queued → signed, in
 * one transaction. Throws BatchConflictError (storing nothing) if any row is no longer queued.
 */
export async function storeSignedBatch(
  q: Queryable,
  batch: {
    id: string;
    txHash: string;
    txMetadata: string;
    txBlob?: string;
    keyImages: string[];
    totalAmount: bigint;
    networkFee: bigint;
  },
  members: Array<{ id: string; networkFee: bigint }>,
): Promise<Batch> {
  return atomically(q, async (tx) => {
    await tx.query(
      `INSERT INTO wallet.withdrawal_batches (id, tx_hash, tx_metadata, tx_blob, key_images, total_amount, network_fee, status)
       VALUES ($1, $2, $3, $7, $4::jsonb, $5, $6, 'signed')`,
      [
        batch.id,
        batch.txHash,
        batch.txMetadata,
        JSON.stringify(batch.keyImages),
        batch.totalAmount,
        batch.networkFee,
        batch.txBlob ?? null,
      ],
    );
    for (const m of members) {
      const { rowCount } = await tx.query(
        `UPDATE wallet.withdrawals SET status = 'signed', batch_id = $2, network_fee = $3, last_error = NULL, updated_at = now()
         WHERE id = $1 AND status = 'queued'`,
        [m.id, batch.id, m.networkFee],
      );
      if (rowCount !== 1) throw new BatchConflictError(`withdrawal ${m.id} is no longer queued`);
    }
    const { txBlob: _blob, ...row } = batch;
    return {
      ...row,
      status: 'signed',
      confirmations: 0,
      relayFailures: 0,
      nextRelayAt: null,
      invalidateReason: null,
      replacementTxHash: null,
      createdAt: new Date(),
    };
  });
}

export async function openBatches(q: Queryable): Promise<Batch[]> {
  const { rows } = await q.query<BatchRow>(
    `SELECT ${BATCH_COLUMNS} FROM wallet.withdrawal_batches WHERE status IN ('signed', 'broadcast', 'invalidating') ORDER BY created_at, id`,
  );
  return rows.map(batchFromRow);
}

export async function hasSignedBatch(q: Queryable): Promise<boolean> {
  const { rows } = await q.query("SELECT 1 FROM wallet.withdrawal_batches WHERE status = 'signed' LIMIT 1");
  return rows.length > 0;
}

export async function markBatchBroadcast(q: Queryable, batchId: string): Promise<void> {
  await atomically(q, async (tx) => {
    await tx.query(
      `UPDATE wallet.withdrawal_batches SET status = 'broadcast', broadcast_at = now(), last_error = NULL, updated_at = now()
       WHERE id = $1 AND status = 'signed'`,
      [batchId],
    );
    await tx.query("UPDATE wallet.withdrawals SET status = 'broadcast', updated_at = now() WHERE batch_id = $1 AND status = 'signed'", [
      batchId,
    ]);
  });
}

export async function noteBatch(
  q: Queryable,
  batchId: string,
  p: { height?: number | null; confirmations?: number; error?: string | null; relayAttempt?: boolean },
): Promise<void> {
  await q.query(
    `UPDATE wallet.withdrawal_batches SET
       block_height = CASE WHEN $2::boolean THEN $3::bigint ELSE block_height END,
       confirmations = COALESCE($4::int, confirmations),
       last_error = CASE WHEN $5::boolean THEN $6::text ELSE last_error END,
       relay_attempts = relay_attempts + CASE WHEN $7::boolean THEN 1 ELSE 0 END,
       -- A relay that went through ends a run of refusals.
       relay_failures = CASE WHEN $7::boolean AND $5::boolean AND $6::text IS NULL THEN 0 ELSE relay_failures END,
       next_relay_at = CASE WHEN $7::boolean AND $5::boolean AND $6::text IS NULL THEN NULL ELSE next_relay_at END,
       updated_at = now()
     WHERE id = $1`,
    [
      batchId,
      p.height !== undefined,
      p.height ?? null,
      p.confirmations ?? null,
      p.error !== undefined,
      p.error ?? null,
      p.relayAttempt === true,
    ],
  );
}

export async function batchMembers(q: Queryable, batchId: string): Promise<Withdrawal[]> {
  const { rows } = await q.query<WithdrawalRow>(`${SELECT_WITHDRAWAL} WHERE w.batch_id = $1 ORDER BY w.created_at, w.id`, [batchId]);
  return rows.map(withdrawalFromRow);
}

export async function markWithdrawalConfirmed(q: Queryable, id: string): Promise<void> {
  await q.query(
    "UPDATE wallet.withdrawals SET status = 'confirmed', confirmed_at = now(), updated_at = now() WHERE id = $1 AND status = 'broadcast'",
    [id],
  );
}

export async function markBatchConfirmed(q: Queryable, batchId: string, height: number, confirmations: number): Promise<void> {
  await q.query(
    `UPDATE wallet.withdrawal_batches SET status = 'confirmed', block_height = $2, confirmations = $3, confirmed_at = now(), updated_at = now()
     WHERE id = $1 AND status = 'broadcast'`,
    [batchId, height, confirmations],
  );
}

/** The batch's transaction can never be mined: its withdrawals fail (holds are released next). */
export async function markBatchFailed(q: Queryable, batchId: string, reason: string): Promise<void> {
  await atomically(q, async (tx) => {
    await tx.query(
      "UPDATE wallet.withdrawal_batches SET status = 'failed', last_error = $2, tx_metadata = '', tx_blob = NULL, updated_at = now() WHERE id = $1 AND status IN ('signed', 'broadcast', 'invalidating')",
      [batchId, reason],
    );
    await tx.query(
      `UPDATE wallet.withdrawals SET status = 'failed', failure_reason = $2, updated_at = now()
       WHERE batch_id = $1 AND status IN ('signed', 'broadcast')`,
      [batchId, reason],
    );
  });
}

/**
 * The batch's transaction provably never left (see decideInflight `requeue`): it is `dropped` (its
 * metadata wiped: never relayed again) and its withdrawals go back to the queue, holds kept, in
 * one transaction, so a withdrawal is never in two live transactions. Returns the re-queued ids.
 */
export async function requeueBatch(q: Queryable, batchId: string, note: string): Promise<string[]> {
  return atomically(q, async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE wallet.withdrawal_batches SET status = 'dropped', last_error = $2, tx_metadata = '', tx_blob = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('signed', 'broadcast')`,
      [batchId, note],
    );
    if (rowCount !== 1) return [];
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE wallet.withdrawals SET status = 'queued', batch_id = NULL, network_fee = NULL, last_error = $2, attempts = attempts + 1,
         next_attempt_at = NULL, updated_at = now()
       WHERE batch_id = $1 AND status IN ('signed', 'broadcast') RETURNING id`,
      [batchId, note],
    );
    return rows.map((r) => r.id);
  });
}

/** Fails queued withdrawals (nothing was signed for them). */
export async function failQueuedWithdrawals(q: Queryable, ids: string[], reason: string): Promise<void> {
  await q.query(
    "UPDATE wallet.withdrawals SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = ANY($1::text[]) AND status = 'queued'",
    [ids, reason],
  );
}

/** A wait that is not the withdrawals' fault (locked change, wallet unreachable): no attempt counted. */
export async function noteQueuedWithdrawals(q: Queryable, ids: string[], note: string): Promise<void> {
  await q.query("UPDATE wallet.withdrawals SET last_error = $2, updated_at = now() WHERE id = ANY($1::text[]) AND status = 'queued'", [
    ids,
    note,
  ]);
}

/** A failed sign attempt of this withdrawal alone: counted, and not tried again for `delayMs`. Returns the attempts so far. */
export async function noteWithdrawalAttempt(q: Queryable, id: string, note: string, delayMs: number): Promise<number> {
  const { rows } = await q.query<{ attempts: number }>(
    `UPDATE wallet.withdrawals SET last_error = $2, attempts = attempts + 1,
       next_attempt_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
     WHERE id = $1 AND status = 'queued' RETURNING attempts`,
    [id, note, delayMs],
  );
  return rows[0] ? Number(rows[0].attempts) : 0;
}

/** A failed relay of a stored transaction: counted, and not relayed again for `delayMs`. Returns the attempts so far. */
export async function noteRelayFailure(q: Queryable, batchId: string, error: string, delayMs: number): Promise<number> {
  const { rows } = await q.query<{ relay_failures: number }>(
    `UPDATE wallet.withdrawal_batches SET last_error = $2, relay_failures = relay_failures + 1,
       next_relay_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
     WHERE id = $1 RETURNING relay_failures`,
    [batchId, error, delayMs],
  );
  return rows[0] ? Number(rows[0].relay_failures) : 0;
}

/**
 * Gives up relaying a stored transaction: wipes its signed metadata (so this service can never
 * relay it again, whatever happens later) and marks it `invalidating`; the worker then proves its
 * inputs spent elsewhere before any hold is released. Its withdrawals keep their status meanwhile.
 */
export async function startInvalidation(q: Queryable, batchId: string, reason: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE wallet.withdrawal_batches SET status = 'invalidating', tx_metadata = '', tx_blob = NULL, invalidate_reason = $2,
       invalidating_since = now(), next_relay_at = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('signed', 'broadcast')`,
    [batchId, reason],
  );
  return rowCount > 0;
}

export async function setReplacementTx(q: Queryable, batchId: string, txHash: string): Promise<void> {
  await q.query(
    "UPDATE wallet.withdrawal_batches SET replacement_tx_hash = $2, updated_at = now() WHERE id = $1 AND status = 'invalidating'",
    [batchId, txHash],
  );
}

/** An invalidating transaction showed up on the network after all: follow it like any broadcast one. */
export async function revertToBroadcast(q: Queryable, batchId: string): Promise<void> {
  await atomically(q, async (tx) => {
    await tx.query(
      `UPDATE wallet.withdrawal_batches SET status = 'broadcast', broadcast_at = coalesce(broadcast_at, now()), updated_at = now()
       WHERE id = $1 AND status = 'invalidating'`,
      [batchId],
    );
    await tx.query("UPDATE wallet.withdrawals SET status = 'broadcast', updated_at = now() WHERE batch_id = $1 AND status = 'signed'", [
      batchId,
    ]);
  });
}

/** An operator asks to try again now: the backoff and the attempt budget start over. */
export async function resetWithdrawalAttempts(q: Queryable, w: Withdrawal): Promise<boolean> {
  if (w.status === 'queued') {
    const { rowCount } = await q.query(
      "UPDATE wallet.withdrawals SET attempts = 0, next_attempt_at = NULL, updated_at = now() WHERE id = $1 AND status = 'queued'",
      [w.id],
    );
    return rowCount > 0;
  }
  if (w.status === 'signed' && w.batchId) {
    const { rowCount } = await q.query(
      "UPDATE wallet.withdrawal_batches SET relay_failures = 0, next_relay_at = NULL, updated_at = now() WHERE id = $1 AND status = 'signed'",
      [w.batchId],
    );
    return rowCount > 0;
  }
  return false;
}

export async function findBatch(q: Queryable, id: string): Promise<Batch | undefined> {
  const { rows } = await q.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM wallet.withdrawal_batches WHERE id = $1`, [id]);
  return rows[0] && batchFromRow(rows[0]);
}

export async function failedUnreleasedWithdrawals(q: Queryable): Promise<Withdrawal[]> {
  const { rows } = await q.query<WithdrawalRow>(
    `${SELECT_WITHDRAWAL} WHERE w.status = 'failed' AND w.hold_released_at IS NULL ORDER BY w.updated_at`,
  );
  return rows.map(withdrawalFromRow);
}

export async function markHoldReleased(q: Queryable, id: string): Promise<void> {
  await q.query("UPDATE wallet.withdrawals SET hold_released_at = now() WHERE id = $1 AND status = 'failed'", [id]);
}

/**
 * Withdrawals that need an operator's eye: queued with failed attempts or waiting longer than
 * `stuckAfterMs`, or signed in a transaction that was refused, is being invalidated, or waits
 * longer than that. Oldest first.
 */
export async function stuckWithdrawals(q: Queryable, stuckAfterMs: number, limit = 200): Promise<StuckWithdrawal[]> {
  return withdrawalsWithBatch(
    q,
    `(w.status = 'queued' AND (w.attempts > 0 OR w.created_at < now() - make_interval(secs => $1::double precision / 1000)))
        OR (w.status IN ('signed', 'broadcast') AND b.status = 'invalidating')
        OR (w.status = 'signed' AND (b.relay_failures > 0 OR b.created_at < now() - make_interval(secs => $1::double precision / 1000)))
     ORDER BY w.created_at, w.id LIMIT $2`,
    [stuckAfterMs, limit],
  );
}

/** One withdrawal with its transaction's state (operators' view). */
export async function withdrawalDetail(q: Queryable, id: string): Promise<StuckWithdrawal | undefined> {
  return (await withdrawalsWithBatch(q, 'w.id = $1', [id]))[0];
}

async function withdrawalsWithBatch(q: Queryable, where: string, params: unknown[]): Promise<StuckWithdrawal[]> {
  const { rows } = await q.query<
    WithdrawalRow & {
      batch_status: BatchStatus | null;
      relay_failures: number | null;
      next_relay_at: Date | string | null;
      replacement_tx_hash: string | null;
      batch_error: string | null;
    }
  >(
    `SELECT w.id, w.user_id, w.address, w.amount, w.fee, w.status, w.idempotency_key, w.request_hash, w.batch_id,
            w.network_fee, w.failure_reason, w.last_error, w.attempts, w.next_attempt_at, w.created_at, w.updated_at,
            b.tx_hash, b.confirmations, b.status AS batch_status, b.relay_failures, b.next_relay_at, b.replacement_tx_hash,
            b.last_error AS batch_error
     FROM wallet.withdrawals w LEFT JOIN wallet.withdrawal_batches b ON b.id = w.batch_id
     WHERE ${where}`,
    params,
  );
  return rows.map((r) => ({
    ...withdrawalFromRow(r),
    batchStatus: r.batch_status,
    relayFailures: r.relay_failures === null ? null : Number(r.relay_failures),
    nextRelayAt: r.next_relay_at === null ? null : new Date(r.next_relay_at),
    replacementTxHash: r.replacement_tx_hash,
    batchError: r.batch_error,
  }));
}

/** Age in seconds of the oldest withdrawal in this status (0 when none). */
export async function oldestWithdrawalAgeSeconds(q: Queryable, status: 'queued' | 'signed'): Promise<number> {
  const { rows } = await q.query<{ age: number | string | null }>(
    'SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM wallet.withdrawals WHERE status = $1',
    [status],
  );
  return Math.max(0, Number(rows[0]?.age ?? 0));
}

export async function countWithdrawalsByStatus(q: Queryable): Promise<Record<string, number>> {
  const { rows } = await q.query<{ status: string; n: bigint }>('SELECT status, count(*) AS n FROM wallet.withdrawals GROUP BY status');
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Amount + network fee of withdrawals that left the wallet but are not finalised in the ledger yet. */
export async function inflightWithdrawalTotal(q: Queryable): Promise<bigint> {
  const { rows } = await q.query<{ total: string | null }>(
    "SELECT sum(amount + coalesce(network_fee, 0))::text AS total FROM wallet.withdrawals WHERE status = 'broadcast'",
  );
  return BigInt(rows[0]?.total ?? '0');
}
