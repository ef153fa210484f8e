import type { Queryable } from '@pupero/db';

/** A withdrawal's ledger hold, as stored (the commands work on the raw row). */
export interface HoldRow {
  withdrawal_id: string;
  user_id: string;
  amount: bigint;
  fee: bigint;
  status: 'held' | 'finalised' | 'released';
  hold_entry_id: bigint;
  closing_entry_id: bigint | null;
}

/** The hold of this withdrawal, locked until the end of the transaction `tx`. */
export async function lockHold(tx: Queryable, withdrawalId: string): Promise<HoldRow | undefined> {
  const { rows } = await tx.query<HoldRow>(
    `SELECT withdrawal_id, user_id, amount, fee, status, hold_entry_id, closing_entry_id
       FROM transactions.withdrawal_holds WHERE withdrawal_id = $1 FOR UPDATE`,
    [withdrawalId],
  );
  return rows[0];
}

export async function insertHold(
  tx: Queryable,
  hold: { withdrawalId: string; userId: string; amount: bigint; fee: bigint; holdEntryId: bigint },
): Promise<void> {
  await tx.query(
    `INSERT INTO transactions.withdrawal_holds (withdrawal_id, user_id, amount, fee, status, hold_entry_id)
     VALUES ($1, $2, $3, $4, 'held', $5)`,
    [hold.withdrawalId, hold.userId, hold.amount, hold.fee, hold.holdEntryId],
  );
}

export async function closeHoldRow(
  tx: Queryable,
  withdrawalId: string,
  close: { status: 'finalised' | 'released'; closingEntryId: bigint; networkFee: bigint | null },
): Promise<void> {
  await tx.query(
    `UPDATE transactions.withdrawal_holds SET status = $2, closing_entry_id = $3, network_fee = $4, updated_at = now() WHERE withdrawal_id = $1`,
    [withdrawalId, close.status, close.closingEntryId, close.networkFee],
  );
}
