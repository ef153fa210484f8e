import { type Db, inTransaction } from '@pupero/db';
import { conflict, notFound } from '../shared/errors.js';
import { ensureUserAccounts, findEntry, postEntry, type PostedEntry } from './ledger-store.js';
import { closeHoldRow, insertHold, lockHold, type HoldRow } from './withdrawal-hold-store.js';
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
    await insertHold(tx, { ...input, holdEntryId: posted.entryId });
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
      throw conflict('withdrawal_user_mismatch', `Withdrawal ${input.withdrawalId} belongs to another user.`);
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
    await closeHoldRow(tx, input.withdrawalId, { status: to, closingEntryId: posted.entryId, networkFee });
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
