import type { Db, Queryable } from '@pupero/db';
import type { WithdrawalStatus } from './domain.js';

export interface WithdrawalRow {
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
  createdAt: Date;
  updatedAt: Date;
  /** From the batch, once signed. */
  txHash: string | null;
  confirmations: number | null;
}

export type BatchStatus = 'signed' | 'broadcast' | 'confirmed' | 'failed';

export interface BatchRow {
  id: string;
  txHash: string;
  txMetadata: string;
  keyImages: string[];
  totalAmount: bigint;
  networkFee: bigint;
  status: BatchStatus;
  confirmations: number;
}

interface RawWithdrawal {
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
  created_at: Date | string;
  updated_at: Date | string;
  tx_hash: string | null;
  confirmations: number | null;
}

const SELECT_WITHDRAWAL = `
  SELECT w.id, w.user_id, w.address, w.amount, w.fee, w.status, w.idempotency_key, w.request_hash, w.batch_id,
         w.network_fee, w.failure_reason, w.last_error, w.created_at, w.updated_at, b.tx_hash, b.confirmations
  FROM wallet.withdrawals w LEFT JOIN wallet.withdrawal_batches b ON b.id = w.batch_id`;

const toWithdrawal = (r: RawWithdrawal): WithdrawalRow => ({
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
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  txHash: r.tx_hash,
  confirmations: r.confirmations === null ? null : Number(r.confirmations),
});

interface RawBatch {
  id: string;
  tx_hash: string;
  tx_metadata: string;
  key_images: unknown;
  total_amount: bigint;
  network_fee: bigint;
  status: BatchStatus;
  confirmations: number;
}

const toBatch = (r: RawBatch): BatchRow => ({
  id: r.id,
  txHash: r.tx_hash,
  txMetadata: r.tx_metadata,
  keyImages: (typeof r.key_images === 'string' ? JSON.parse(r.key_images) : r.key_images) as string[],
  totalAmount: BigInt(r.total_amount),
  networkFee: BigInt(r.network_fee),
  status: r.status,
  confirmations: Number(r.confirmations),
});

/** The rows of a batch changed under the worker: the signed transaction must be thrown away. */
export class BatchConflictError extends Error {}

export class WithdrawalStore {
  constructor(private readonly db: Db) {}

  async findByKey(userId: string, key: string): Promise<WithdrawalRow | undefined> {
    const { rows } = await this.db.query<RawWithdrawal>(`${SELECT_WITHDRAWAL} WHERE w.user_id = $1 AND w.idempotency_key = $2`, [userId, key]);
    return rows[0] && toWithdrawal(rows[0]);
  }

  async get(id: string): Promise<WithdrawalRow | undefined> {
    const { rows } = await this.db.query<RawWithdrawal>(`${SELECT_WITHDRAWAL} WHERE w.id = $1`, [id]);
    return rows[0] && toWithdrawal(rows[0]);
  }

  async getForUser(userId: string, id: string): Promise<WithdrawalRow | undefined> {
    const { rows } = await this.db.query<RawWithdrawal>(
      `${SELECT_WITHDRAWAL} WHERE w.id = $1 AND w.user_id = $2 AND w.status <> 'requested'`,
      [id, userId],
    );
    return rows[0] && toWithdrawal(rows[0]);
  }

  async listForUser(userId: string, limit: number): Promise<WithdrawalRow[]> {
    const { rows } = await this.db.query<RawWithdrawal>(
      `${SELECT_WITHDRAWAL} WHERE w.user_id = $1 AND w.status <> 'requested' ORDER BY w.created_at DESC, w.id LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toWithdrawal);
  }

  /** Inserts a `requested` row; false when this user already used the idempotency key. */
  async insertRequested(w: { id: string; userId: string; address: string; amount: bigint; fee: bigint; idempotencyKey: string; requestHash: string }): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO wallet.withdrawals (id, user_id, address, amount, fee, status, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7)
       ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id`,
      [w.id, w.userId, w.address, w.amount, w.fee, w.idempotencyKey, w.requestHash],
    );
    return rows.length === 1;
  }

  async markQueued(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      "UPDATE wallet.withdrawals SET status = 'queued', updated_at = now() WHERE id = $1 AND status = 'requested'",
      [id],
    );
    return rowCount > 0;
  }

  /** The ledger refused the hold: nothing of the request is kept. */
  async deleteRequested(id: string): Promise<void> {
    await this.db.query("DELETE FROM wallet.withdrawals WHERE id = $1 AND status = 'requested'", [id]);
  }

  async staleRequested(olderThanSeconds: number): Promise<WithdrawalRow[]> {
    const { rows } = await this.db.query<RawWithdrawal>(
      `${SELECT_WITHDRAWAL} WHERE w.status = 'requested' AND w.created_at < now() - make_interval(secs => $1) ORDER BY w.created_at`,
      [olderThanSeconds],
    );
    return rows.map(toWithdrawal);
  }

  /** The oldest queued withdrawals (locked while read, skipping rows another worker holds). */
  async oldestQueued(limit: number): Promise<WithdrawalRow[]> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<RawWithdrawal>(
        `SELECT w.id, w.user_id, w.address, w.amount, w.fee, w.status, w.idempotency_key, w.request_hash, w.batch_id,
                w.network_fee, w.failure_reason, w.last_error, w.created_at, w.updated_at, NULL::text AS tx_hash, NULL::int AS confirmations
         FROM wallet.withdrawals w WHERE w.status = 'queued'
         ORDER BY w.created_at, w.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return rows.map(toWithdrawal);
    });
  }

  /**
   * Stores a signed (not yet relayed) transaction and moves its withdrawals queued → signed, in
   * one transaction. Throws BatchConflictError (storing nothing) if any row is no longer queued.
   */
  async storeSignedBatch(
    batch: { id: string; txHash: string; txMetadata: string; keyImages: string[]; totalAmount: bigint; networkFee: bigint },
    members: Array<{ id: string; networkFee: bigint }>,
  ): Promise<BatchRow> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO wallet.withdrawal_batches (id, tx_hash, tx_metadata, key_images, total_amount, network_fee, status)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, 'signed')`,
        [batch.id, batch.txHash, batch.txMetadata, JSON.stringify(batch.keyImages), batch.totalAmount, batch.networkFee],
      );
      for (const m of members) {
        const { rowCount } = await tx.query(
          `UPDATE wallet.withdrawals SET status = 'signed', batch_id = $2, network_fee = $3, last_error = NULL, updated_at = now()
           WHERE id = $1 AND status = 'queued'`,
          [m.id, batch.id, m.networkFee],
        );
        if (rowCount !== 1) throw new BatchConflictError(`withdrawal ${m.id} is no longer queued`);
      }
      return { ...batch, status: 'signed', confirmations: 0 };
    });
  }

  async openBatches(): Promise<BatchRow[]> {
    const { rows } = await this.db.query<RawBatch>(
      `SELECT id, tx_hash, tx_metadata, key_images, total_amount, network_fee, status, confirmations
       FROM wallet.withdrawal_batches WHERE status IN ('signed', 'broadcast') ORDER BY created_at, id`,
    );
    return rows.map(toBatch);
  }

  async hasSignedBatch(): Promise<boolean> {
    const { rows } = await this.db.query("SELECT 1 FROM wallet.withdrawal_batches WHERE status = 'signed' LIMIT 1");
    return rows.length > 0;
  }

  async markBroadcast(batchId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE wallet.withdrawal_batches SET status = 'broadcast', broadcast_at = now(), last_error = NULL, updated_at = now()
         WHERE id = $1 AND status = 'signed'`,
        [batchId],
      );
      await tx.query("UPDATE wallet.withdrawals SET status = 'broadcast', updated_at = now() WHERE batch_id = $1 AND status = 'signed'", [batchId]);
    });
  }

  async noteBatch(batchId: string, p: { height?: number | null; confirmations?: number; error?: string | null; relayAttempt?: boolean }): Promise<void> {
    await this.db.query(
      `UPDATE wallet.withdrawal_batches SET
         block_height = CASE WHEN $2::boolean THEN $3::bigint ELSE block_height END,
         confirmations = COALESCE($4::int, confirmations),
         last_error = CASE WHEN $5::boolean THEN $6::text ELSE last_error END,
         relay_attempts = relay_attempts + CASE WHEN $7::boolean THEN 1 ELSE 0 END,
         updated_at = now()
       WHERE id = $1`,
      [batchId, p.height !== undefined, p.height ?? null, p.confirmations ?? null, p.error !== undefined, p.error ?? null, p.relayAttempt === true],
    );
  }

  async membersOf(batchId: string): Promise<WithdrawalRow[]> {
    const { rows } = await this.db.query<RawWithdrawal>(`${SELECT_WITHDRAWAL} WHERE w.batch_id = $1 ORDER BY w.created_at, w.id`, [batchId]);
    return rows.map(toWithdrawal);
  }

  async markConfirmed(id: string): Promise<void> {
    await this.db.query(
      "UPDATE wallet.withdrawals SET status = 'confirmed', confirmed_at = now(), updated_at = now() WHERE id = $1 AND status = 'broadcast'",
      [id],
    );
  }

  async markBatchConfirmed(batchId: string, height: number, confirmations: number): Promise<void> {
    await this.db.query(
      `UPDATE wallet.withdrawal_batches SET status = 'confirmed', block_height = $2, confirmations = $3, confirmed_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'broadcast'`,
      [batchId, height, confirmations],
    );
  }

  /** The batch's transaction can never be mined: its withdrawals fail (holds are released next). */
  async markBatchFailed(batchId: string, reason: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        "UPDATE wallet.withdrawal_batches SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1 AND status IN ('signed', 'broadcast')",
        [batchId, reason],
      );
      await tx.query(
        `UPDATE wallet.withdrawals SET status = 'failed', failure_reason = $2, updated_at = now()
         WHERE batch_id = $1 AND status IN ('signed', 'broadcast')`,
        [batchId, reason],
      );
    });
  }

  /** Fails queued withdrawals (nothing was signed for them). */
  async failQueued(ids: string[], reason: string): Promise<void> {
    await this.db.query(
      "UPDATE wallet.withdrawals SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = ANY($1::text[]) AND status = 'queued'",
      [ids, reason],
    );
  }

  async noteQueued(ids: string[], note: string): Promise<void> {
    await this.db.query(
      "UPDATE wallet.withdrawals SET last_error = $2, attempts = attempts + 1, updated_at = now() WHERE id = ANY($1::text[]) AND status = 'queued'",
      [ids, note],
    );
  }

  async failedUnreleased(): Promise<WithdrawalRow[]> {
    const { rows } = await this.db.query<RawWithdrawal>(
      `${SELECT_WITHDRAWAL} WHERE w.status = 'failed' AND w.hold_released_at IS NULL ORDER BY w.updated_at`,
    );
    return rows.map(toWithdrawal);
  }

  async markReleased(id: string): Promise<void> {
    await this.db.query("UPDATE wallet.withdrawals SET hold_released_at = now() WHERE id = $1 AND status = 'failed'", [id]);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ status: string; n: bigint }>('SELECT status, count(*) AS n FROM wallet.withdrawals GROUP BY status');
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Amount + network fee of withdrawals that left the wallet but are not finalised in the ledger yet. */
  async inflightTotal(q: Queryable = this.db): Promise<bigint> {
    const { rows } = await q.query<{ total: string | null }>(
      "SELECT sum(amount + coalesce(network_fee, 0))::text AS total FROM wallet.withdrawals WHERE status = 'broadcast'",
    );
    return BigInt(rows[0]?.total ?? '0');
  }
}
