import type { Db, Queryable } from '@pupero/db';
import type { DepositStatus, DepositUpsert, StoredDeposit } from './domain.js';

export interface DepositAddressRow {
  userId: string;
  subaddressIndex: number;
  address: string;
}

export interface DepositListRow extends StoredDeposit {
  rejectReason: string | null;
  firstSeenAt: Date;
  creditedAt: Date | null;
}

interface RawDeposit {
  txid: string;
  subaddress_index: number;
  user_id: string;
  amount: bigint;
  block_height: bigint | null;
  status: DepositStatus;
  reject_reason: string | null;
  first_seen_at: Date | string;
  credited_at: Date | string | null;
}

const toDeposit = (r: RawDeposit): DepositListRow => ({
  txid: r.txid,
  subaddressIndex: Number(r.subaddress_index),
  userId: r.user_id,
  amount: BigInt(r.amount),
  blockHeight: r.block_height === null ? null : Number(r.block_height),
  status: r.status,
  rejectReason: r.reject_reason,
  firstSeenAt: new Date(r.first_seen_at),
  creditedAt: r.credited_at === null ? null : new Date(r.credited_at),
});

const COLUMNS = 'txid, subaddress_index, user_id, amount, block_height, status, reject_reason, first_seen_at, credited_at';

/** Chain checkpoints: where the deposit scan resumes, and the last height the wallet reported. */
export const CHECKPOINT = 'deposit_scan';
export const WALLET_HEIGHT = 'wallet_height';

export class DepositStore {
  constructor(private readonly db: Db) {}

  async addressOf(userId: string, q: Queryable = this.db): Promise<DepositAddressRow | undefined> {
    const { rows } = await q.query<{ user_id: string; subaddress_index: number; address: string }>(
      'SELECT user_id, subaddress_index, address FROM wallet.deposit_addresses WHERE user_id = $1',
      [userId],
    );
    return rows[0] && { userId: rows[0].user_id, subaddressIndex: Number(rows[0].subaddress_index), address: rows[0].address };
  }

  async insertAddress(row: DepositAddressRow, q: Queryable = this.db): Promise<void> {
    await q.query('INSERT INTO wallet.deposit_addresses (user_id, subaddress_index, address) VALUES ($1, $2, $3)', [
      row.userId,
      row.subaddressIndex,
      row.address,
    ]);
  }

  async isIndexTaken(index: number, q: Queryable = this.db): Promise<boolean> {
    const { rows } = await q.query('SELECT 1 FROM wallet.deposit_addresses WHERE account_index = 0 AND subaddress_index = $1', [index]);
    return rows.length > 0;
  }

  async owners(indices: number[]): Promise<Map<number, string>> {
    if (indices.length === 0) return new Map();
    const { rows } = await this.db.query<{ user_id: string; subaddress_index: number }>(
      'SELECT user_id, subaddress_index FROM wallet.deposit_addresses WHERE account_index = 0 AND subaddress_index = ANY($1::int[])',
      [indices],
    );
    return new Map(rows.map((r) => [Number(r.subaddress_index), r.user_id]));
  }

  async getHeight(key: string): Promise<number | null> {
    const { rows } = await this.db.query<{ height: bigint }>('SELECT height FROM wallet.chain_state WHERE key = $1', [key]);
    return rows[0] ? Number(rows[0].height) : null;
  }

  async setHeight(key: string, height: number, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO wallet.chain_state (key, height) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET height = EXCLUDED.height, updated_at = now()`,
      [key, height],
    );
  }

  async lowestPendingHeight(): Promise<number | null> {
    const { rows } = await this.db.query<{ h: bigint | null }>(
      "SELECT min(block_height) AS h FROM wallet.deposits WHERE status = 'pending' AND block_height IS NOT NULL",
    );
    return rows[0]?.h === null || rows[0]?.h === undefined ? null : Number(rows[0].h);
  }

  /** Every pending deposit, every row mined in the scanned window, and the rows of these transactions. */
  async rowsForScan(scanFrom: number, txids: string[]): Promise<StoredDeposit[]> {
    const { rows } = await this.db.query<RawDeposit>(
      `SELECT ${COLUMNS} FROM wallet.deposits
       WHERE status = 'pending' OR block_height >= $1 OR txid = ANY($2::text[])`,
      [scanFrom, txids],
    );
    return rows.map(toDeposit);
  }

  /** Stores a scan's observations and the wallet height in one transaction. */
  async applyScan(
    upserts: DepositUpsert[],
    dropped: Array<{ txid: string; subaddressIndex: number }>,
    walletHeight: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const u of upserts) {
        // Never touch a row that is already credited or rejected: those are final.
        await tx.query(
          `INSERT INTO wallet.deposits (txid, subaddress_index, user_id, amount, block_height, unlock_time, double_spend_seen, status, reject_reason)
           VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, $8, $9)
           ON CONFLICT (txid, subaddress_index) DO UPDATE SET
             block_height = EXCLUDED.block_height, unlock_time = EXCLUDED.unlock_time,
             double_spend_seen = EXCLUDED.double_spend_seen, status = EXCLUDED.status,
             reject_reason = EXCLUDED.reject_reason, updated_at = now()
           WHERE wallet.deposits.status IN ('pending', 'dropped')`,
          [
            u.txid,
            u.subaddressIndex,
            u.userId,
            u.amount,
            u.blockHeight,
            u.unlockTime.toString(),
            u.doubleSpendSeen,
            u.status,
            u.rejectReason,
          ],
        );
      }
      for (const d of dropped) {
        await tx.query(
          "UPDATE wallet.deposits SET status = 'dropped', updated_at = now() WHERE txid = $1 AND subaddress_index = $2 AND status = 'pending'",
          [d.txid, d.subaddressIndex],
        );
      }
      await this.setHeight(WALLET_HEIGHT, walletHeight, tx);
    });
  }

  async markCredited(txid: string, subaddressIndex: number, entryId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE wallet.deposits SET status = 'credited', ledger_entry_id = $3, credited_at = now(), updated_at = now()
       WHERE txid = $1 AND subaddress_index = $2 AND status = 'pending'`,
      [txid, subaddressIndex, entryId],
    );
    return rowCount > 0;
  }

  async listForUser(userId: string, limit: number): Promise<DepositListRow[]> {
    const { rows } = await this.db.query<RawDeposit>(
      `SELECT ${COLUMNS} FROM wallet.deposits WHERE user_id = $1 AND status <> 'dropped'
       ORDER BY first_seen_at DESC, txid LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toDeposit);
  }

  /** Seen but not yet credited (pool included). */
  async pendingTotalForUser(userId: string): Promise<bigint> {
    const { rows } = await this.db.query<{ total: string | null }>(
      "SELECT sum(amount)::text AS total FROM wallet.deposits WHERE user_id = $1 AND status = 'pending'",
      [userId],
    );
    return BigInt(rows[0]?.total ?? '0');
  }

  /** Mined into the wallet's balance but not credited to anyone yet (for reconciliation). */
  async pendingMinedTotal(): Promise<bigint> {
    const { rows } = await this.db.query<{ total: string | null }>(
      "SELECT sum(amount)::text AS total FROM wallet.deposits WHERE status = 'pending' AND block_height IS NOT NULL",
    );
    return BigInt(rows[0]?.total ?? '0');
  }
}
