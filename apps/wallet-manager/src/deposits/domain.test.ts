import { describe, expect, it } from 'vitest';
import type { IncomingPayment } from '../chain/hot-wallet.js';
import { confirmations, creditDecision, nextCheckpoint, planScan, scanStartHeight, type StoredDeposit } from './domain.js';

const pay = (over: Partial<IncomingPayment> = {}): IncomingPayment => ({
  txid: 'aa',
  subaddressIndex: 1,
  amount: 5n,
  height: 100,
  unlockTime: 0n,
  doubleSpendSeen: false,
  ...over,
});

describe('deposit crediting rules', () => {
  it('counts confirmations the way Monero does', () => {
    expect(confirmations(null, 200)).toBe(0);
    expect(confirmations(100, 101)).toBe(1);
    expect(confirmations(100, 110)).toBe(10);
    expect(confirmations(100, 90)).toBe(0);
  });

  it('credits at exactly the required confirmations, not one block earlier', () => {
    expect(creditDecision(pay({ height: 100 }), 109, 10)).toEqual({ action: 'wait', confirmations: 9 });
    expect(creditDecision(pay({ height: 100 }), 110, 10)).toEqual({ action: 'credit' });
    expect(creditDecision(pay({ height: 100 }), 150, 10)).toEqual({ action: 'credit' });
  });

  it('never credits pool transactions, double spends or locked outputs', () => {
    expect(creditDecision(pay({ height: null }), 500, 1)).toEqual({ action: 'wait', confirmations: 0 });
    expect(creditDecision(pay({ doubleSpendSeen: true }), 500, 1).action).toBe('wait');
    expect(creditDecision(pay({ unlockTime: 1000n }), 500, 1)).toMatchObject({
      action: 'reject',
      reason: expect.stringMatching(/unlock_time/),
    });
  });

  it('scans from the checkpoint or the lowest pending deposit, rewound for reorgs', () => {
    expect(scanStartHeight(null, null, 10)).toBe(0);
    expect(scanStartHeight(500, null, 10)).toBe(490);
    expect(scanStartHeight(500, 300, 10)).toBe(290);
    expect(scanStartHeight(5, null, 10)).toBe(0);
    expect(nextCheckpoint(600, null)).toBe(600);
    expect(nextCheckpoint(600, 590)).toBe(590);
  });
});

describe('planScan', () => {
  const owners = new Map([
    [1, 'alice'],
    [2, 'bob'],
  ]);
  const stored = (over: Partial<StoredDeposit>): StoredDeposit => ({
    txid: 'aa',
    subaddressIndex: 1,
    userId: 'alice',
    amount: 5n,
    blockHeight: 100,
    status: 'pending',
    ...over,
  });

  it('records new payments, credits the confirmed ones once, and skips already credited rows', () => {
    const plan = planScan({
      observed: [pay({ txid: 't1', height: 100 }), pay({ txid: 't2', height: 105, subaddressIndex: 2 }), pay({ txid: 't3', height: 90 })],
      stored: [stored({ txid: 't3', blockHeight: 90, status: 'credited' })],
      owners,
      scanFrom: 80,
      chainHeight: 110,
      required: 10,
    });
    expect(plan.upserts.map((u) => [u.txid, u.userId, u.status])).toEqual([
      ['t1', 'alice', 'pending'],
      ['t2', 'bob', 'pending'],
    ]);
    expect(plan.credits).toEqual([{ txid: 't1', subaddressIndex: 1, userId: 'alice', amount: 5n }]);
  });

  it('prefers the mined entry when a transaction is listed in the pool and in a block', () => {
    const plan = planScan({
      observed: [pay({ txid: 't1', height: null }), pay({ txid: 't1', height: 100 })],
      stored: [],
      owners,
      scanFrom: 0,
      chainHeight: 110,
      required: 10,
    });
    expect(plan.upserts).toHaveLength(1);
    expect(plan.upserts[0]?.blockHeight).toBe(100);
    expect(plan.credits).toHaveLength(1);
  });

  it('marks vanished pending deposits dropped and reports vanished credited ones', () => {
    const plan = planScan({
      observed: [],
      stored: [
        stored({ txid: 'pool', blockHeight: null }),
        stored({ txid: 'mined', blockHeight: 95 }),
        stored({ txid: 'old', blockHeight: 95, status: 'credited' }),
      ],
      owners,
      scanFrom: 90,
      chainHeight: 110,
      required: 10,
    });
    expect(plan.dropped.map((d) => d.txid).sort()).toEqual(['mined', 'pool']);
    expect(plan.vanishedCredited.map((d) => d.txid)).toEqual(['old']);
  });

  it('brings a dropped deposit back when it shows up again, and keeps rejected ones rejected', () => {
    const plan = planScan({
      observed: [pay({ txid: 'back', height: 100 }), pay({ txid: 'locked', height: 100 })],
      stored: [stored({ txid: 'back', status: 'dropped' }), stored({ txid: 'locked', status: 'rejected' })],
      owners,
      scanFrom: 0,
      chainHeight: 101,
      required: 10,
    });
    expect(plan.upserts.map((u) => [u.txid, u.status])).toEqual([['back', 'pending']]);
  });

  it('rejects locked payments and leaves unknown subaddresses unattributed', () => {
    const plan = planScan({
      observed: [pay({ txid: 'l', unlockTime: 9999n }), pay({ txid: 'x', subaddressIndex: 7 }), pay({ txid: 'p', subaddressIndex: 0 })],
      stored: [],
      owners,
      scanFrom: 0,
      chainHeight: 200,
      required: 10,
    });
    expect(plan.upserts).toEqual([
      expect.objectContaining({ txid: 'l', status: 'rejected', rejectReason: expect.stringMatching(/unlock_time/) }),
    ]);
    expect(plan.credits).toEqual([]);
    expect(plan.unattributed.map((p) => p.txid)).toEqual(['x', 'p']);
  });
});
