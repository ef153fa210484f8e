import { type Db, inTransaction, type Queryable } from '@pupero/db';
import { AppError, conflict, notFound } from '@pupero/http';
import { ensureUserAccounts, findEntry, postEntry, type PostedEntry } from './ledger-store.js';
import { depositEntry, withdrawalFinaliseEntry, withdrawalHoldEntry, withdrawalReleaseEntry } from './posting-rules.js';

/**
 * The wallet manager's money-moving commands. Each is one database transaction and idempotent:
 * repeating it returns the first entry (created: false). Reusing a key for a DIFFERENT command
 * (another user or amount under the same txid/output or withdrawal id) is refused: it is a bug
 * upstream, and silently answering "done" would hide it.
 */

const keyReused = (what: string) =>
  conflict('idempotency_key_reused', `${what} was already recorded with different details; nothing was changed.`);

export async function creditDeposit(
  db: Db,
  input: { userId: string; txid: string; outputKey: string; amount: bigint },
): Promise<PostedEntry> {
  const draft = depositEntry(input);
  const sameCommand = (details: Record<string, string>) => details.user_id === input.userId && details.amount === input.amount.toString();
  const earlier = await findEntry(db, draft.key);
  if (earlier) {
    if (!sameCommand(earlier.details)) throw keyReused(`Deposit ${input.txid}:${input.outputKey}`);
    return { entryId: earlier.id, created: false };
  }
  await ensureUserAccounts(db, [input.userId]);
  return inTransaction(db, async (tx) => {
    const posted = await postEntry(tx, draft);
    if (!posted.created) {
      const first = await findEntry(tx, draft.key);
      if (!first || !sameCommand(first.details)) throw keyReused(`Deposit ${input.txid}:${input.outputKey}`);
    }
    return posted;
  });
}

interface HoldRow {
  withdrawal_id: string;
  user_id: string;
  amount: bigint;
  fee: bigint;
  status: 'held' | 'finalised' | 'released';
  hold_entry_id: bigint;
  closing_entry_id: bigint | null;
}

async function lockHold(tx: Queryable, withdrawalId: string): Promise<HoldRow | undefined> {
  const { rows } = await tx.query<HoldRow>(
    `SELECT withdrawal_id, user_id, amount, fee, status, hold_entry_id, closing_entry_id
       FROM transactions.withdrawal_holds WHERE withdrawal_id = $1 FOR UPDATE`,
    [withdrawalId],
  );
  return rows[0];
}

export async function holdWithdrawal(
  db: Db,
  input: { withdrawalId: string; userId: string; amount: bigint; fee: bigint },
): Promise<PostedEntry> {
  await ensureUserAccounts(db, [input.userId]);
  const replay = (hold: HoldRow): PostedEntry => {
    if (hold.user_id !== input.userId || hold.amount !== input.amount || hold.fee !== input.fee) {
      throw keyReused(`Withdrawal ${input.withdrawalId}`);
    }
    return { entryId: hold.hold_entry_id, created: false };
  };
  return inTransaction(db, async (tx) => {
    const existing = await lockHold(tx, input.withdrawalId);
    if (existing) return replay(existing);
    const posted = await postEntry(tx, withdrawalHoldEntry(input));
    if (!posted.created) {
      // A concurrent call with the same id committed first.
      const first = await lockHold(tx, input.withdrawalId);
      if (!first) throw new Error(`withdrawal hold ${input.withdrawalId} has an entry but no hold row`);
      return replay(first);
    }
    await tx.query(
      `INSERT INTO transactions.withdrawal_holds (withdrawal_id, user_id, amount, fee, status, hold_entry_id)
       VALUES ($1, $2, $3, $4, 'held', $5)`,
      [input.withdrawalId, input.userId, input.amount, input.fee, posted.entryId],
    );
    return posted;
  });
}

async function closeHold(
  db: Db,
  input: { withdrawalId: string; userId: string },
  to: 'finalised' | 'released',
  draftFor: (hold: HoldRow) => ReturnType<typeof withdrawalReleaseEntry>,
  networkFee: bigint | null,
): Promise<PostedEntry> {
  return inTransaction(db, async (tx) => {
    const hold = await lockHold(tx, input.withdrawalId);
    if (!hold) throw notFound('withdrawal_hold_not_found', `No ledger hold exists for withdrawal ${input.withdrawalId}.`);
    if (hold.user_id !== input.userId) {
      throw new AppError(409, 'withdrawal_user_mismatch', `Withdrawal ${input.withdrawalId} belongs to another user.`);
    }
    if (hold.status === to) return { entryId: hold.closing_entry_id!, created: false };
    if (hold.status !== 'held') {
      throw conflict(
        `withdrawal_already_${hold.status}`,
        `Withdrawal ${input.withdrawalId} was already ${hold.status}; its hold cannot be ${to} too.`,
        {
          status: hold.status,
        },
      );
    }
    const posted = await postEntry(tx, draftFor(hold));
    await tx.query(
      `UPDATE transactions.withdrawal_holds SET status = $2, closing_entry_id = $3, network_fee = $4, updated_at = now() WHERE withdrawal_id = $1`,
      [input.withdrawalId, to, posted.entryId, networkFee],
    );
    return posted;
  });
}

export function finaliseWithdrawal(db: Db, input: { withdrawalId: string; userId: string; networkFee: bigint }): Promise<PostedEntry> {
  return closeHold(
    db,
    input,
    'finalised',
    (hold) =>
      withdrawalFinaliseEntry({
        withdrawalId: hold.withdrawal_id,
        userId: hold.user_id,
        amount: hold.amount,
        fee: hold.fee,
        networkFee: input.networkFee,
      }),
    input.networkFee,
  );
}

export function releaseWithdrawal(db: Db, input: { withdrawalId: string; userId: string }): Promise<PostedEntry> {
  return closeHold(
    db,
    input,
    'released',
    (hold) => withdrawalReleaseEntry({ withdrawalId: hold.withdrawal_id, userId: hold.user_id, amount: hold.amount, fee: hold.fee }),
    null,
  );
}
