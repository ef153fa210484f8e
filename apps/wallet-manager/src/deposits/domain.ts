/**
 * Deposit crediting rules (pure). A deposit is one (transaction, receiving subaddress) pair:
 * the unit the ledger credits exactly once (idempotency key deposit:<txid>:<output_key>).
 */
import type { IncomingPayment } from '../chain/hot-wallet.js';

export type DepositStatus = 'pending' | 'credited' | 'rejected' | 'dropped';

export interface StoredDeposit {
  txid: string;
  subaddressIndex: number;
  userId: string;
  amount: bigint;
  blockHeight: number | null;
  status: DepositStatus;
}

/** The ledger's output key for a deposit: the receiving subaddress ("subaddr-<account>-<index>"). */
export function outputKey(subaddressIndex: number): string {
  return `subaddr-0-${subaddressIndex}`;
}

export function depositKey(txid: string, subaddressIndex: number): string {
  return `${txid}:${subaddressIndex}`;
}

/** Confirmations of a transaction mined at `height` when the chain has `chainHeight` blocks (Monero's definition). */
export function confirmations(height: number | null, chainHeight: number): number {
  if (height === null) return 0;
  return Math.max(0, chainHeight - height);
}

export type CreditDecision = { action: 'credit' } | { action: 'wait'; confirmations: number } | { action: 'reject'; reason: string };

export const REJECT_UNLOCK_TIME = 'locked by the sender (non-zero unlock_time): not credited automatically; contact support';

/** When may a seen payment be credited? Exactly at `required` confirmations, never when locked or double-spent. */
export function creditDecision(
  payment: Pick<IncomingPayment, 'height' | 'unlockTime' | 'doubleSpendSeen'>,
  chainHeight: number,
  required: number,
): CreditDecision {
  if (payment.unlockTime !== 0n) return { action: 'reject', reason: REJECT_UNLOCK_TIME };
  const seen = confirmations(payment.height, chainHeight);
  // A double-spend flag only ever shows on pool transactions; it blocks crediting while it lasts.
  if (payment.doubleSpendSeen || payment.height === null) return { action: 'wait', confirmations: seen };
  return seen >= required ? { action: 'credit' } : { action: 'wait', confirmations: seen };
}

/** First block to scan: the checkpoint (or the lowest still-pending deposit) rewound for reorgs. */
export function scanStartHeight(checkpoint: number | null, lowestPendingHeight: number | null, rewind: number): number {
  const from = Math.min(checkpoint ?? 0, lowestPendingHeight ?? Number.POSITIVE_INFINITY);
  return Math.max(0, from - rewind);
}

/** Where the next scan may start: everything below is settled (credited or rejected). */
export function nextCheckpoint(chainHeight: number, lowestPendingHeight: number | null): number {
  return lowestPendingHeight === null ? chainHeight : Math.min(chainHeight, lowestPendingHeight);
}

export interface DepositUpsert {
  txid: string;
  subaddressIndex: number;
  userId: string;
  amount: bigint;
  blockHeight: number | null;
  unlockTime: bigint;
  doubleSpendSeen: boolean;
  status: 'pending' | 'rejected';
  rejectReason: string | null;
}

export interface ScanPlan {
  /** New or changed observations to store. */
  upserts: DepositUpsert[];
  /** Deposits to credit now (after their upsert is stored). */
  credits: Array<{ txid: string; subaddressIndex: number; userId: string; amount: bigint }>;
  /** Pending deposits that vanished (dropped from the pool or reorganised away). */
  dropped: Array<{ txid: string; subaddressIndex: number }>;
  /** Credited deposits no longer seen in the scanned window: a reorg deeper than the confirmations. */
  vanishedCredited: StoredDeposit[];
  /** Payments to subaddresses no user owns (logged). */
  unattributed: IncomingPayment[];
}

/**
 * Compares what the wallet sees now with what is stored and decides every change. `stored` must
 * hold every pending deposit plus any stored row in the scanned window or among `observed`.
 */
export function planScan(input: {
  observed: IncomingPayment[];
  stored: StoredDeposit[];
  owners: ReadonlyMap<number, string>;
  scanFrom: number;
  chainHeight: number;
  required: number;
}): ScanPlan {
  const plan: ScanPlan = { upserts: [], credits: [], dropped: [], vanishedCredited: [], unattributed: [] };
  const stored = new Map(input.stored.map((d) => [depositKey(d.txid, d.subaddressIndex), d]));
  const seen = new Map<string, IncomingPayment>();
  for (const p of input.observed) {
    const key = depositKey(p.txid, p.subaddressIndex);
    const before = seen.get(key);
    // The same transaction can show in the pool and in a block around the moment it is mined: the block wins.
    if (!before || (before.height === null && p.height !== null)) seen.set(key, p);
  }
  for (const [key, p] of seen) {
    const userId = input.owners.get(p.subaddressIndex);
    if (!userId) {
      plan.unattributed.push(p);
      continue;
    }
    const row = stored.get(key);
    if (row && (row.status === 'credited' || row.status === 'rejected')) continue;
    const decision = creditDecision(p, input.chainHeight, input.required);
    const upsert: DepositUpsert = {
      txid: p.txid,
      subaddressIndex: p.subaddressIndex,
      userId,
      amount: p.amount,
      blockHeight: p.height,
      unlockTime: p.unlockTime,
      doubleSpendSeen: p.doubleSpendSeen,
      status: decision.action === 'reject' ? 'rejected' : 'pending',
      rejectReason: decision.action === 'reject' ? decision.reason : null,
    };
    plan.upserts.push(upsert);
    if (decision.action === 'credit') plan.credits.push({ txid: p.txid, subaddressIndex: p.subaddressIndex, userId, amount: p.amount });
  }
  for (const [key, row] of stored) {
    if (seen.has(key)) continue;
    const inWindow = row.blockHeight === null || row.blockHeight >= input.scanFrom;
    if (!inWindow) continue;
    if (row.status === 'pending') plan.dropped.push({ txid: row.txid, subaddressIndex: row.subaddressIndex });
    else if (row.status === 'credited') plan.vanishedCredited.push(row);
  }
  return plan;
}
