/**
 * Withdrawal rules (pure): idempotency, address checks, fee quote, batching, the state machine,
 * and what to do after each chain answer. Nothing here talks to the wallet or the database.
 */
import { createHash } from 'node:crypto';
import type { AddressCheck, AddressNetwork, KeyImageState, TransferFailureKind, TxState } from '../chain/hot-wallet.js';
import type { MoneroNetwork } from '../config.js';

export type WithdrawalStatus = 'requested' | 'rejected' | 'queued' | 'signed' | 'broadcast' | 'confirmed' | 'failed';

/**
 * requested → queued (ledger hold placed) → signed (tx hash + metadata stored, not relayed) →
 * broadcast (relayed) → confirmed (N confirmations, ledger finalised).
 * requested → rejected when the ledger refuses the hold (no hold exists; internal, never listed).
 * queued/signed/broadcast → failed only when the money provably cannot leave (hold released).
 * signed/broadcast → queued when the transaction provably never left (hold kept, signed again).
 */
const TRANSITIONS: Record<WithdrawalStatus, readonly WithdrawalStatus[]> = {
  requested: ['queued', 'rejected'],
  rejected: [],
  queued: ['signed', 'failed'],
  // → queued: the transaction provably never left (inputs spent elsewhere, it is unknown): signed again later.
  signed: ['broadcast', 'failed', 'queued'],
  broadcast: ['confirmed', 'failed', 'queued'],
  confirmed: [],
  failed: [],
};

export function canTransition(from: WithdrawalStatus, to: WithdrawalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What makes two requests with one Idempotency-Key "the same": the destination and the amount. */
export function requestHash(address: string, amount: bigint): string {
  return createHash('sha256').update(`withdrawal\n${address}\n${amount.toString()}`).digest('hex');
}

export function idempotencyOutcome(existingHash: string, newHash: string): 'replay' | 'conflict' {
  return existingHash === newHash ? 'replay' : 'conflict';
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Monero addresses: base58, 95 characters (standard/subaddress) or 106 (integrated). */
const ADDRESS_SHAPE = /^[1-9A-HJ-NP-Za-km-z]{95}$|^[1-9A-HJ-NP-Za-km-z]{106}$/;

export function looksLikeAddress(address: string): boolean {
  return ADDRESS_SHAPE.test(address);
}

/** Regtest uses mainnet-format addresses. */
export function addressNetworkFor(network: MoneroNetwork): AddressNetwork {
  return network === 'regtest' ? 'mainnet' : network;
}

/** null when the address may receive a withdrawal on this network, else the reason shown to the user. */
export function addressProblem(check: AddressCheck, network: MoneroNetwork): string | null {
  if (!check.valid) return 'This is not a valid Monero address.';
  const expected = addressNetworkFor(network);
  if (check.network !== expected) {
    const where = network === 'regtest' ? 'the local regtest chain, which uses mainnet-format addresses' : network;
    return `This is a ${check.network ?? 'unknown'}-network address, but Pupero runs on ${where}.`;
  }
  if (check.integrated)
    return 'Integrated addresses (with an embedded payment id) are not supported: use a standard address or a subaddress.';
  if (check.ownSubaddressIndex !== undefined) return "This address belongs to Pupero's own wallet; withdraw to a wallet you control.";
  return null;
}

/** Typical weight of a withdrawal (2 inputs, 2 outputs, ring 16) with room to spare, in bytes. */
export const TYPICAL_TX_BYTES = 3000n;
const FEE_STEP = 100_000_000n; // 0.0001 XMR

/**
 * The fee a user pays per withdrawal. 'auto' quotes the daemon's per-byte fee for a typical
 * transaction, rounded up to 0.0001 XMR, so the platform's network fees are covered (batching
 * makes them smaller still). A flat fee is used as configured.
 */
export function quoteFee(setting: 'auto' | bigint, feePerByte: bigint): bigint {
  if (setting !== 'auto') return setting;
  const raw = feePerByte * TYPICAL_TX_BYTES;
  const rounded = ((raw + FEE_STEP - 1n) / FEE_STEP) * FEE_STEP;
  return rounded < FEE_STEP ? FEE_STEP : rounded;
}

/** Splits a transaction's network fee over its withdrawals; the remainder goes to the first ones. */
export function splitNetworkFee(fee: bigint, count: number): bigint[] {
  if (count <= 0) return [];
  const n = BigInt(count);
  const base = fee / n;
  const rest = fee % n;
  return Array.from({ length: count }, (_, i) => base + (BigInt(i) < rest ? 1n : 0n));
}

export interface QueuedWithdrawal {
  id: string;
  address: string;
  amount: bigint;
}

/**
 * The oldest queued withdrawals that fit in one transaction: at most `max` destinations, and
 * together no more than the wallet's unlocked balance minus a fee reserve. Empty when even the
 * oldest does not fit yet (the worker waits for change to unlock).
 */
export function selectBatch<T extends QueuedWithdrawal>(queued: T[], unlocked: bigint, feeReserve: bigint, max: number): T[] {
  const batch: T[] = [];
  let total = 0n;
  for (const w of queued) {
    if (batch.length >= max) break;
    if (total + w.amount + feeReserve > unlocked) break;
    batch.push(w);
    total += w.amount;
  }
  return batch;
}

export type SignFailureAction =
  | { action: 'wait'; note: string }
  | { action: 'split'; note: string }
  | { action: 'retry'; note: string }
  | { action: 'fail'; reason: string };

/**
 * What to do when the wallet refuses to build a transaction (nothing was signed or sent, so
 * failing is always safe). A refused batch is split and each member tried alone, so one bad
 * destination never holds up the others. Alone: `wait` (the wallet's own change is locked; not the
 * withdrawal's fault, no attempt counted), `retry` (counted; the worker fails the withdrawal after
 * its last attempt) or `fail` now.
 */
export function onSignFailure(kind: TransferFailureKind, batchSize: number, message: string): SignFailureAction {
  if (batchSize > 1) return { action: 'split', note: `batch of ${batchSize} refused (${kind}): trying each withdrawal alone` };
  switch (kind) {
    case 'unavailable':
      return { action: 'retry', note: `wallet unavailable: ${message}` };
    case 'insufficient_unlocked':
      return { action: 'wait', note: 'waiting for the hot wallet’s change to unlock' };
    case 'insufficient_funds':
      return { action: 'fail', reason: 'The hot wallet cannot cover this withdrawal right now; your funds were returned to your balance.' };
    case 'invalid_destination':
      return { action: 'fail', reason: `The wallet refused the destination address: ${message}` };
    case 'not_possible':
      return { action: 'fail', reason: `The transaction could not be built: ${message}` };
  }
}

/** Exponential backoff before attempt `attempts + 1`: base, 2×base, 4×base … capped at max. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  if (attempts <= 0 || baseMs <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30));
}

/** The reason a user reads when the worker gives up on a withdrawal that was never signed. */
export function gaveUpReason(attempts: number, lastError: string): string {
  return `The withdrawal could not be sent after ${attempts} attempts (${lastError}); your funds were returned to your balance.`;
}

export type InvalidationDecision =
  { action: 'back_to_broadcast' } | { action: 'replace' } | { action: 'wait'; note: string } | { action: 'fail'; reason: string };

/**
 * A stuck signed transaction we decided to give up on (status `invalidating`, metadata wiped so we
 * never relay it again). Its withdrawals may fail only once the money provably cannot leave:
 *  - the transaction itself is seen (pool or chain): it did get out after all → track it normally;
 *  - one of its inputs is spent on chain by another transaction (a transaction spending a key
 *    image makes every other transaction with that key image invalid forever): by our replacement
 *    once it has `required` confirmations (reorg-safe like a withdrawal), or by another of our own
 *    transactions (e.g. a later batch reused the output);
 *  - all inputs unspent: spend one of them to ourselves (the replacement) — until then the signed
 *    blob could still be relayed by anyone holding it, so nothing is released;
 *  - an input is in the pool: wait for it to be mined.
 * `keyImages` must be read BEFORE `tx` (a transaction mined between the two calls shows up by hash).
 */
export function decideInvalidation(input: {
  tx: TxState;
  keyImages: KeyImageState[];
  replacement: TxState | null;
  required: number;
  reason: string;
}): InvalidationDecision {
  if (input.tx.state !== 'unknown') return { action: 'back_to_broadcast' };
  if (input.keyImages.some((k) => k === 'chain')) {
    const r = input.replacement;
    if (r === null || r.state !== 'mined' || r.confirmations >= input.required) return { action: 'fail', reason: input.reason };
    return { action: 'wait', note: `replacement transaction has ${r.confirmations}/${input.required} confirmations` };
  }
  if (input.keyImages.some((k) => k === 'pool')) return { action: 'wait', note: 'an input is being spent by a transaction in the pool' };
  return { action: 'replace' };
}

export type InflightDecision =
  | { action: 'mark_broadcast' }
  | { action: 'confirm'; height: number; confirmations: number }
  | { action: 'track'; height: number | null; confirmations: number }
  | { action: 'relay' }
  | { action: 'relay_pooled' }
  | { action: 'check_inputs' }
  | { action: 'requeue'; note: string }
  | { action: 'wait'; note: string }
  | { action: 'retry_later'; note: string };

/** Why withdrawals went back to the queue (stored as their last_error; users see them queued again). */
export const REQUEUE_NOTE =
  'its transaction never left: an input is spent on chain by another transaction, so it can never be mined; queued again (the hold is kept)';

/**
 * Recovery and tracking of a stored transaction, by its hash, before anything new is signed.
 * Unknown to the daemon (never relayed, dropped from the pool, or forgotten with a crashed
 * daemon), its inputs decide, read BEFORE the hash is looked at again (`check_inputs` asks for them):
 *  - an input spent on chain (by another transaction: ours is unknown): this one can never be
 *    mined, so its withdrawals provably never left → `requeue` them (never fail: they can be paid);
 *  - an input spent in the pool: wait until that transaction is mined (then requeue) or dropped;
 *  - all unspent: relay it (again), or after a refused relay retry later (counted).
 * In the pool but never relayed by the daemon (`relayed: false`, e.g. after its restart): ask the
 * daemon to relay it, or it may sit there unmined.
 */
export function decideInflight(input: {
  status: 'signed' | 'broadcast';
  tx: TxState;
  required: number;
  relayFailed?: boolean;
  keyImages?: KeyImageState[];
}): InflightDecision {
  const { tx } = input;
  // Found by hash: a stored `signed` transaction did reach the network (e.g. relayed just before a crash).
  if (tx.state !== 'unknown' && input.status === 'signed') return { action: 'mark_broadcast' };
  if (tx.state === 'mined') {
    if (tx.confirmations >= input.required) return { action: 'confirm', height: tx.height, confirmations: tx.confirmations };
    return { action: 'track', height: tx.height, confirmations: tx.confirmations };
  }
  if (tx.state === 'pool') return tx.relayed === false ? { action: 'relay_pooled' } : { action: 'track', height: null, confirmations: 0 };
  if (!input.keyImages) return { action: 'check_inputs' };
  if (input.keyImages.some((k) => k === 'chain')) return { action: 'requeue', note: REQUEUE_NOTE };
  if (input.keyImages.some((k) => k === 'pool'))
    return { action: 'wait', note: 'an input is being spent by another transaction in the pool: waiting for it to be mined or dropped' };
  if (!input.relayFailed) return { action: 'relay' };
  return { action: 'retry_later', note: 'relay failed and the daemon does not know the transaction; will retry' };
}

export type ReconcileGate = { ready: true } | { ready: false; note: string };

/**
 * After a restart (of this process, or of the wallet-rpc/daemon: any call that failed as
 * unreachable), may the worker sign something new? A restarted wallet-rpc may have lost its
 * unsaved state: it does not know that its outputs are spent by our transactions still in the pool
 * (it only learns it from blocks), and would sign a new batch from the same inputs — which the daemon
 * refuses as a double spend. So: the wallet has scanned up to the daemon's height, no stored
 * transaction waits to be relayed, and every one we hold is mined (or settled: confirmed, dropped).
 * `invalidating` transactions are left out (they are never relayed again; see decideInvalidation).
 */
export function reconcileGate(input: {
  wallet: number;
  daemon: number;
  open: Array<{ status: 'signed' | 'broadcast'; txHash: string; tx: TxState }>;
}): ReconcileGate {
  if (input.wallet < input.daemon) return { ready: false, note: `hot wallet refreshing: at ${input.wallet} of ${input.daemon}` };
  for (const b of input.open) {
    if (b.status === 'signed') return { ready: false, note: `stored transaction ${b.txHash} is not relayed yet` };
    if (b.tx.state === 'pool')
      return {
        ready: false,
        note: `our transaction ${b.txHash} is in the pool: the wallet may not know its inputs are spent until it is mined`,
      };
    if (b.tx.state === 'unknown')
      return { ready: false, note: `our transaction ${b.txHash} is unknown to the daemon: relaying it or proving it dropped first` };
  }
  return { ready: true };
}
