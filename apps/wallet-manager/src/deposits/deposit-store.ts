import { atomically, maybeOne, type Queryable } from '@pupero/db';
import type { DepositStatus, DepositUpsert, StoredDeposit } from './domain.js';

export interface DepositAddress {
  userId: string;
  subaddressIndex: number;
  address: string;
}

interface DepositAddressRow {
  user_id: string;
  subaddress_index: number;
  address: string;
}

const depositAddressFromRow = (r: DepositAddressRow): DepositAddress => ({
  userId: r.user_id,
  subaddressIndex: Number(r.subaddress_index),
  address: r.address,
});

export interface Deposit extends StoredDeposit {
  rejectReason: string | null;
  firstSeenAt: Date;
  creditedAt: Date | null;
}

interface DepositRow {
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

const depositFromRow = (r: DepositRow): Deposit => ({
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

export async function findDepositAddress(q: Queryable, userId: string): Promise<DepositAddress | undefined> {
  const row = await maybeOne<DepositAddressRow>(
    q,
    'SELECT user_id, subaddress_index, address FROM wallet.deposit_addresses WHERE user_id = $1',
    [userId],
  );
  return row ? depositAddressFromRow(row) : undefined;
}

/** Serialises subaddress allocation across replicas until the end of the transaction `q` (PostgreSQL). */
export async function lockSubaddressAllocation(q: Queryable): Promise<void> {
  await q.query("SELECT pg_advisory_xact_lock(hashtext('pupero-wallet:subaddress'))");
}

export async function insertDepositAddress(q: Queryable, row: DepositAddress): Promise<void> {
  await q.query('INSERT INTO wallet.deposit_addresses (user_id, subaddress_index, address) VALUES ($1, $2, $3)', [
    row.userId,
    row.subaddressIndex,
    row.address,
  ]);
}

export async function isSubaddressTaken(q: Queryable, index: number): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM wallet.deposit_addresses WHERE account_index = 0 AND subaddress_index = $1', [index]);
  return rows.length > 0;
}

export async function subaddressOwners(q: Queryable, indices: number[]): Promise<Map<number, string>> {
  if (indices.length === 0) return new Map();
  const { rows } = await q.query<{ user_id: string; subaddress_index: number }>(
    'SELECT user_id, subaddress_index FROM wallet.deposit_addresses WHERE account_index = 0 AND subaddress_index = ANY($1::int[])',
    [indices],
  );
  return new Map(rows.map((r) => [Number(r.subaddress_index), r.user_id]));
}

export async function getChainHeight(q: Queryable, key: string): Promise<number | null> {
  const { rows } = await q.query<{ height: bigint }>('SELECT height FROM wallet.chain_state WHERE key = $1', [key]);
  return rows[0] ? Number(rows[0].height) : null;
}

export async function setChainHeight(q: Queryable, key: string, height: number): Promise<void> {
  await q.query(
    `INSERT INTO wallet.chain_state (key, height) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET height = EXCLUDED.height, updated_at = now()`,
    [key, height],
  );
}

export async function lowestPendingDepositHeight(q: Queryable): Promise<number | null> {
  const { rows } = await q.query<{ h: bigint | null }>(
    "SELECT min(block_height) AS h FROM wallet.deposits WHERE status = 'pending' AND block_height IS NOT NULL",
  );
  return rows[0]?.h === null || rows[0]?.h === undefined ? null : Number(rows[0].h);
}

/** Every pending deposit, every row mined in the scanned window, and the rows of these transactions. */
export async function depositsForScan(q: Queryable, scanFrom: number, txids: string[]): Promise<StoredDeposit[]> {
  const { rows } = await q.query<DepositRow>(
    `SELECT ${COLUMNS} FROM wallet.deposits
     WHERE status = 'pending' OR block_height >= $1 OR txid = ANY($2::text[])`,
    [scanFrom, txids],
  );
  return rows.map(depositFromRow);
}

/** Stores a scan's observations and the wallet height in one transaction. */
export async function applyScan(
  q: Queryable,
  upserts: DepositUpsert[],
  dropped: Array<{ txid: string; subaddressIndex: number }>,
  walletHeight: number,
): Promise<void> {
  await atomically(q, async (tx) => {
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
    await setChainHeight(tx, WALLET_HEIGHT, walletHeight);
  });
}

export async function markDepositCredited(q: Queryable, txid: string, subaddressIndex: number, entryId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE wallet.deposits SET status = 'credited', ledger_entry_id = $3, credited_at = now(), updated_at = now()
     WHERE txid = $1 AND subaddress_index = $2 AND status = 'pending'`,
    [txid, subaddressIndex, entryId],
  );
  return rowCount > 0;
}

export async function listUserDeposits(q: Queryable, userId: string, limit: number): Promise<Deposit[]> {
  const { rows } = await q.query<DepositRow>(
    `SELECT ${COLUMNS} FROM wallet.deposits WHERE user_id = $1 AND status <> 'dropped'
     ORDER BY first_seen_at DESC, txid LIMIT $2`,
    [userId, limit],
  );
  return rows.map(depositFromRow);
}

/** Seen but not yet credited (pool included). */
export async function pendingDepositTotal(q: Queryable, userId: string): Promise<bigint> {
  const { rows } = await q.query<{ total: string | null }>(
    "SELECT sum(amount)::text AS total FROM wallet.deposits WHERE user_id = $1 AND status = 'pending'",
    [userId],
  );
  return BigInt(rows[0]?.total ?? '0');
}

/** Mined into the wallet's balance but not credited to anyone yet (for reconciliation). */
export async function pendingMinedDepositTotal(q: Queryable): Promise<bigint> {
  const { rows } = await q.query<{ total: string | null }>(
    "SELECT sum(amount)::text AS total FROM wallet.deposits WHERE status = 'pending' AND block_height IS NOT NULL",
  );
  return BigInt(rows[0]?.total ?? '0');
}
