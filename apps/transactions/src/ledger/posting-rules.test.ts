import { describe, expect, it } from 'vitest';
import { xmr } from '@pupero/money';
import {
  PostingRuleError,
  balanced,
  depositEntry,
  settlementOf,
  tradeHoldEntry,
  tradeSettlementEntry,
  withdrawalFinaliseEntry,
  withdrawalHoldEntry,
  withdrawalReleaseEntry,
  type EntryDraft,
} from './posting-rules.js';

const sum = (d: EntryDraft) => d.postings.reduce((t, p) => t + p.amount, 0n);
const asMap = (d: EntryDraft) => Object.fromEntries(d.postings.map((p) => [p.account, p.amount]));

describe('posting rules', () => {
  it('credits a deposit from the hot wallet, keyed by txid and output', () => {
    const d = depositEntry({ userId: 'u1', txid: 'abc', outputKey: '0', amount: xmr('1.5') });
    expect(d.key).toBe('deposit:abc:0');
    expect(d.kind).toBe('deposit');
    expect(asMap(d)).toEqual({ 'platform:hot_wallet': -xmr('1.5'), 'user:u1:available': xmr('1.5') });
    expect(sum(d)).toBe(0n);
  });

  it('holds a withdrawal (amount + fee) and finalises or releases it', () => {
    const w = { withdrawalId: 'w1', userId: 'u1', amount: xmr('1'), fee: xmr('0.01') };
    expect(asMap(withdrawalHoldEntry(w))).toEqual({ 'user:u1:available': -xmr('1.01'), 'user:u1:held': xmr('1.01') });
    const fin = withdrawalFinaliseEntry({ ...w, networkFee: xmr('0.0003') });
    expect(fin.key).toBe('withdrawal:w1:finalise');
    expect(asMap(fin)).toEqual({
      'user:u1:held': -xmr('1.01'),
      'platform:hot_wallet': xmr('1.0003'),
      'platform:fee_income': xmr('0.01'),
      'platform:network_fees': -xmr('0.0003'),
    });
    expect(sum(fin)).toBe(0n);
    const rel = withdrawalReleaseEntry(w);
    expect(rel.key).toBe('withdrawal:w1:release');
    expect(asMap(rel)).toEqual({ 'user:u1:held': -xmr('1.01'), 'user:u1:available': xmr('1.01') });
  });

  it('drops zero postings (no fee, no network fee)', () => {
    const fin = withdrawalFinaliseEntry({ withdrawalId: 'w', userId: 'u', amount: 5n, fee: 0n, networkFee: 0n });
    expect(asMap(fin)).toEqual({ 'user:u:held': -5n, 'platform:hot_wallet': 5n });
  });

  const trade = { tradeId: 't1', buyerId: 'b', sellerId: 's', amount: xmr('2'), fee: xmr('0.02') };

  it("holds the seller's amount + fee", () => {
    const hold = tradeHoldEntry(trade);
    expect(hold.key).toBe('trade:t1:hold');
    expect(asMap(hold)).toEqual({ 'user:s:available': -xmr('2.02'), 'user:s:held': xmr('2.02') });
  });

  it('releases to the buyer with the fee to the platform', () => {
    const d = tradeSettlementEntry(trade, trade.amount);
    expect(d.kind).toBe('trade_release');
    expect(d.key).toBe('trade:t1:settle');
    expect(asMap(d)).toEqual({ 'user:s:held': -xmr('2.02'), 'user:b:available': xmr('2'), 'platform:fee_income': xmr('0.02') });
  });

  it('refunds the whole hold, fee included, to the seller', () => {
    const d = tradeSettlementEntry(trade, 0n);
    expect(d.kind).toBe('trade_refund');
    expect(d.key).toBe('trade:t1:settle'); // one settlement per trade, whatever the outcome
    expect(asMap(d)).toEqual({ 'user:s:held': -xmr('2.02'), 'user:s:available': xmr('2.02') });
  });

  it('splits with the fee charged pro rata on the part the buyer gets', () => {
    const d = tradeSettlementEntry(trade, xmr('0.5'));
    expect(d.kind).toBe('trade_split');
    expect(asMap(d)).toEqual({
      'user:s:held': -xmr('2.02'),
      'user:b:available': xmr('0.5'),
      'platform:fee_income': xmr('0.005'),
      'user:s:available': xmr('1.515'),
    });
  });

  it('never loses or creates a piconero in a settlement', () => {
    let seed = 12345;
    const rand = (max: bigint) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (BigInt(seed) * max) / 2n ** 31n;
    };
    for (let i = 0; i < 2000; i++) {
      const amount = rand(10n ** 15n) + 1n;
      const fee = rand(amount / 10n + 1n);
      const buyerAmount = rand(amount + 1n);
      const s = settlementOf({ amount, fee }, buyerAmount);
      expect(s.buyerReceives + s.feeCharged + s.sellerGetsBack).toBe(amount + fee);
      expect(s.feeCharged >= 0n && s.feeCharged <= fee && s.sellerGetsBack >= 0n).toBe(true);
      const d = tradeSettlementEntry({ tradeId: 't', buyerId: 'b', sellerId: 's', amount, fee }, buyerAmount);
      expect(sum(d)).toBe(0n);
    }
  });

  it('refuses impossible inputs', () => {
    expect(() => depositEntry({ userId: 'u', txid: 't', outputKey: '0', amount: 0n })).toThrow(PostingRuleError);
    expect(() => withdrawalHoldEntry({ withdrawalId: 'w', userId: 'u', amount: 1n, fee: -1n })).toThrow(PostingRuleError);
    expect(() => tradeSettlementEntry(trade, trade.amount + 1n)).toThrow(PostingRuleError);
    expect(() => tradeSettlementEntry(trade, -1n)).toThrow(PostingRuleError);
    expect(() =>
      balanced([
        { account: 'a', amount: 1n },
        { account: 'b', amount: -2n },
      ]),
    ).toThrow(/sum/);
    expect(() =>
      balanced([
        { account: 'a', amount: 1n },
        { account: 'a', amount: -1n },
      ]),
    ).toThrow(/two accounts/);
  });

  it('merges postings per account and sorts them (the lock order)', () => {
    expect(
      balanced([
        { account: 'z', amount: -3n },
        { account: 'a', amount: 1n },
        { account: 'a', amount: 2n },
      ]),
    ).toEqual([
      { account: 'a', amount: 3n },
      { account: 'z', amount: -3n },
    ]);
  });
});
