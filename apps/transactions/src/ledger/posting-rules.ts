import { mulDivFloor } from '@pupero/money';
import { PLATFORM, availableAccount, heldAccount } from './accounts.js';

/**
 * Posting rules: which accounts move for each money-moving command. Pure functions over plain
 * data (no database), so every rule is unit-tested on its own. Amounts are credit-positive bigint
 * atomic units (see accounts.ts) and every draft sums to zero.
 */
export type EntryKind =
  | 'deposit'
  | 'trade_hold'
  | 'trade_release'
  | 'trade_refund'
  | 'trade_split'
  | 'withdrawal_hold'
  | 'withdrawal_finalise'
  | 'withdrawal_release';

export type ReferenceType = 'trade' | 'deposit' | 'withdrawal';

export interface Posting {
  account: string;
  amount: bigint;
}

export interface EntryDraft {
  /** Unique per command: repeating the command finds this key and moves nothing. */
  key: string;
  kind: EntryKind;
  reference: { type: ReferenceType; id: string };
  postings: Posting[];
  /** What the command was asked to do, kept with the entry to tell a replay from a conflicting reuse. */
  details: Record<string, string>;
}

export class PostingRuleError extends RangeError {}

function positive(name: string, value: bigint): void {
  if (value <= 0n) throw new PostingRuleError(`${name} must be greater than zero`);
}

function nonNegative(name: string, value: bigint): void {
  if (value < 0n) throw new PostingRuleError(`${name} must not be negative`);
}

/** Merges postings per account, drops zeros, orders by account and checks the sum is zero. */
export function balanced(postings: Posting[]): Posting[] {
  const byAccount = new Map<string, bigint>();
  for (const p of postings) byAccount.set(p.account, (byAccount.get(p.account) ?? 0n) + p.amount);
  const merged = [...byAccount.entries()]
    .filter(([, amount]) => amount !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, amount]) => ({ account, amount }));
  const sum = merged.reduce((total, p) => total + p.amount, 0n);
  if (sum !== 0n) throw new PostingRuleError(`postings sum to ${sum}, not zero`);
  if (merged.length < 2) throw new PostingRuleError('an entry moves money between at least two accounts');
  return merged;
}

// Deposits -----------------------------------------------------------------------------------

export function depositEntry(input: { userId: string; txid: string; outputKey: string; amount: bigint }): EntryDraft {
  positive('deposit amount', input.amount);
  return {
    key: `deposit:${input.txid}:${input.outputKey}`,
    kind: 'deposit',
    reference: { type: 'deposit', id: `${input.txid}:${input.outputKey}` },
    postings: balanced([
      { account: PLATFORM.hotWallet, amount: -input.amount },
      { account: availableAccount(input.userId), amount: input.amount },
    ]),
    details: { user_id: input.userId, amount: input.amount.toString() },
  };
}

// Withdrawals --------------------------------------------------------------------------------

export interface WithdrawalFacts {
  withdrawalId: string;
  userId: string;
  amount: bigint;
  /** Pupero's withdrawal fee, charged to the user on top of the amount. */
  fee: bigint;
}

export function withdrawalHoldEntry(w: WithdrawalFacts): EntryDraft {
  positive('withdrawal amount', w.amount);
  nonNegative('withdrawal fee', w.fee);
  const total = w.amount + w.fee;
  return {
    key: `withdrawal:${w.withdrawalId}:hold`,
    kind: 'withdrawal_hold',
    reference: { type: 'withdrawal', id: w.withdrawalId },
    postings: balanced([
      { account: availableAccount(w.userId), amount: -total },
      { account: heldAccount(w.userId), amount: total },
    ]),
    details: { user_id: w.userId, amount: w.amount.toString(), fee: w.fee.toString() },
  };
}

/**
 * The withdrawal left on chain: the held amount + fee leave the user's books; the amount and the
 * network fee leave the hot wallet; the fee is income and the network fee Pupero's expense.
 */
export function withdrawalFinaliseEntry(w: WithdrawalFacts & { networkFee: bigint }): EntryDraft {
  positive('withdrawal amount', w.amount);
  nonNegative('withdrawal fee', w.fee);
  nonNegative('network fee', w.networkFee);
  return {
    key: `withdrawal:${w.withdrawalId}:finalise`,
    kind: 'withdrawal_finalise',
    reference: { type: 'withdrawal', id: w.withdrawalId },
    postings: balanced([
      { account: heldAccount(w.userId), amount: -(w.amount + w.fee) },
      { account: PLATFORM.hotWallet, amount: w.amount + w.networkFee },
      { account: PLATFORM.feeIncome, amount: w.fee },
      { account: PLATFORM.networkFees, amount: -w.networkFee },
    ]),
    details: { user_id: w.userId, network_fee: w.networkFee.toString() },
  };
}

/**
 * A withdrawal that failed before broadcast: its hold returns to the user's available balance. The
 * mirror of withdrawalHoldEntry, written out rather than derived: each kind's postings read on their own in an audit.
 */
export function withdrawalReleaseEntry(w: WithdrawalFacts): EntryDraft {
  positive('withdrawal amount', w.amount);
  nonNegative('withdrawal fee', w.fee);
  const total = w.amount + w.fee;
  return {
    key: `withdrawal:${w.withdrawalId}:release`,
    kind: 'withdrawal_release',
    reference: { type: 'withdrawal', id: w.withdrawalId },
    postings: balanced([
      { account: heldAccount(w.userId), amount: -total },
      { account: availableAccount(w.userId), amount: total },
    ]),
    details: { user_id: w.userId },
  };
}

// Trades -------------------------------------------------------------------------------------

export interface TradeMoney {
  tradeId: string;
  buyerId: string;
  sellerId: string;
  amount: bigint;
  /** Platform fee, charged to the seller on top of the amount and held with it. */
  fee: bigint;
}

/** What the seller has held while the trade runs. */
export function tradeHoldTotal(t: Pick<TradeMoney, 'amount' | 'fee'>): bigint {
  return t.amount + t.fee;
}

export function tradeHoldEntry(t: TradeMoney): EntryDraft {
  positive('trade amount', t.amount);
  nonNegative('trade fee', t.fee);
  const total = tradeHoldTotal(t);
  return {
    key: `trade:${t.tradeId}:hold`,
    kind: 'trade_hold',
    reference: { type: 'trade', id: t.tradeId },
    postings: balanced([
      { account: availableAccount(t.sellerId), amount: -total },
      { account: heldAccount(t.sellerId), amount: total },
    ]),
    details: { seller_id: t.sellerId, amount: t.amount.toString(), fee: t.fee.toString() },
  };
}

export interface Settlement {
  kind: 'trade_release' | 'trade_refund' | 'trade_split';
  buyerReceives: bigint;
  feeCharged: bigint;
  sellerGetsBack: bigint;
}

/**
 * Splits the hold between buyer, platform and seller. The fee follows the part that reaches the
 * buyer: all of it on a release, none on a refund, pro rata (rounded down, in the users' favour)
 * on a split. buyerAmount = amount is a release, 0 a refund.
 */
export function settlementOf(t: Pick<TradeMoney, 'amount' | 'fee'>, buyerAmount: bigint): Settlement {
  positive('trade amount', t.amount);
  nonNegative('trade fee', t.fee);
  if (buyerAmount < 0n || buyerAmount > t.amount) {
    throw new PostingRuleError('the buyer amount must be between 0 and the trade amount');
  }
  const feeCharged = buyerAmount === t.amount ? t.fee : mulDivFloor(t.fee, buyerAmount, t.amount);
  const kind = buyerAmount === t.amount ? 'trade_release' : buyerAmount === 0n ? 'trade_refund' : 'trade_split';
  return { kind, buyerReceives: buyerAmount, feeCharged, sellerGetsBack: tradeHoldTotal(t) - buyerAmount - feeCharged };
}

/**
 * Closes a trade's hold. One settlement key per trade (not one per outcome), so a trade can never
 * be both released and refunded, whatever races.
 */
export function tradeSettlementEntry(t: TradeMoney, buyerAmount: bigint): EntryDraft {
  const s = settlementOf(t, buyerAmount);
  return {
    key: `trade:${t.tradeId}:settle`,
    kind: s.kind,
    reference: { type: 'trade', id: t.tradeId },
    postings: balanced([
      { account: heldAccount(t.sellerId), amount: -tradeHoldTotal(t) },
      { account: availableAccount(t.buyerId), amount: s.buyerReceives },
      { account: PLATFORM.feeIncome, amount: s.feeCharged },
      { account: availableAccount(t.sellerId), amount: s.sellerGetsBack },
    ]),
    details: { buyer_amount: s.buyerReceives.toString(), fee_charged: s.feeCharged.toString() },
  };
}
