import { describe, expect, it } from 'vitest';
import {
  addressProblem,
  canTransition,
  backoffMs,
  decideInflight,
  decideInvalidation,
  idempotencyOutcome,
  looksLikeAddress,
  onSignFailure,
  quoteFee,
  reconcileGate,
  requestHash,
  selectBatch,
  splitNetworkFee,
} from './domain.js';

describe('withdrawal rules', () => {
  it('allows only forward transitions of the state machine', () => {
    expect(canTransition('requested', 'queued')).toBe(true);
    expect(canTransition('queued', 'signed')).toBe(true);
    expect(canTransition('signed', 'broadcast')).toBe(true);
    expect(canTransition('broadcast', 'confirmed')).toBe(true);
    expect(canTransition('queued', 'failed')).toBe(true);
    expect(canTransition('signed', 'requested')).toBe(false);
    expect(canTransition('broadcast', 'signed')).toBe(false);
    expect(canTransition('confirmed', 'failed')).toBe(false);
    expect(canTransition('failed', 'queued')).toBe(false);
  });

  it('treats the same key with the same destination and amount as a replay, anything else as a conflict', () => {
    const a = requestHash('addr', 5n);
    expect(idempotencyOutcome(a, requestHash('addr', 5n))).toBe('replay');
    expect(idempotencyOutcome(a, requestHash('addr', 6n))).toBe('conflict');
    expect(idempotencyOutcome(a, requestHash('other', 5n))).toBe('conflict');
  });

  it('checks the address shape before asking the wallet', () => {
    expect(looksLikeAddress('4'.padEnd(95, 'A'))).toBe(true);
    expect(looksLikeAddress('4'.padEnd(106, 'A'))).toBe(true);
    expect(looksLikeAddress('4'.padEnd(94, 'A'))).toBe(false);
    expect(looksLikeAddress('4'.padEnd(95, '0'))).toBe(false); // 0 is not base58
  });

  it('refuses invalid, wrong-network, integrated and own addresses', () => {
    const good = { valid: true, integrated: false, subaddress: false, network: 'mainnet' as const };
    expect(addressProblem(good, 'regtest')).toBeNull();
    expect(addressProblem(good, 'mainnet')).toBeNull();
    expect(addressProblem({ ...good, network: 'stagenet' }, 'stagenet')).toBeNull();
    expect(addressProblem({ ...good, valid: false }, 'regtest')).toMatch(/not a valid/);
    expect(addressProblem({ ...good, network: 'testnet' }, 'regtest')).toMatch(/testnet-network address.*regtest/);
    expect(addressProblem(good, 'testnet')).toMatch(/mainnet-network address, but Pupero runs on testnet/);
    expect(addressProblem({ ...good, integrated: true }, 'regtest')).toMatch(/Integrated/);
    expect(addressProblem({ ...good, subaddress: true, ownSubaddressIndex: 3 }, 'regtest')).toMatch(/own wallet/);
  });

  it('quotes an automatic fee from the per-byte fee, rounded up to 0.0001 XMR', () => {
    expect(quoteFee('auto', 1_200_000n)).toBe(3_600_000_000n); // regtest: 0.0036 XMR
    expect(quoteFee('auto', 20_000n)).toBe(100_000_000n); // mainnet-like: the 0.0001 minimum
    expect(quoteFee('auto', 50_001n)).toBe(200_000_000n);
    expect(quoteFee(123n, 1_200_000n)).toBe(123n);
  });

  it('splits a network fee exactly over a batch', () => {
    expect(splitNetworkFee(10n, 3)).toEqual([4n, 3n, 3n]);
    expect(splitNetworkFee(9n, 3)).toEqual([3n, 3n, 3n]);
    expect(splitNetworkFee(1n, 2)).toEqual([1n, 0n]);
    for (const [fee, n] of [
      [1_808_400_000n, 7],
      [5n, 5],
      [0n, 2],
    ] as const) {
      expect(splitNetworkFee(fee, n).reduce((a, b) => a + b, 0n)).toBe(fee);
    }
  });

  it('batches the oldest withdrawals that fit the unlocked balance and the output limit', () => {
    const q = [10n, 20n, 30n, 40n].map((amount, i) => ({ id: `w${i}`, address: 'a', amount }));
    expect(selectBatch(q, 1000n, 5n, 15).map((w) => w.id)).toEqual(['w0', 'w1', 'w2', 'w3']);
    expect(selectBatch(q, 1000n, 5n, 2).map((w) => w.id)).toEqual(['w0', 'w1']);
    expect(selectBatch(q, 65n, 5n, 15).map((w) => w.id)).toEqual(['w0', 'w1', 'w2']);
    expect(selectBatch(q, 14n, 5n, 15)).toEqual([]); // keeps order: never jumps the queue
  });

  it('decides what a refused transfer means', () => {
    // A refused batch is always split, whatever the reason: one bad member must not hold up the rest.
    expect(onSignFailure('unavailable', 3, 'down').action).toBe('split');
    expect(onSignFailure('insufficient_unlocked', 2, '').action).toBe('split');
    expect(onSignFailure('invalid_destination', 4, 'bad').action).toBe('split');
    expect(onSignFailure('unavailable', 1, 'down')).toMatchObject({ action: 'retry', note: expect.stringMatching(/down/) });
    expect(onSignFailure('insufficient_unlocked', 1, '').action).toBe('wait');
    expect(onSignFailure('invalid_destination', 1, 'bad')).toMatchObject({ action: 'fail', reason: expect.stringMatching(/bad/) });
    expect(onSignFailure('insufficient_funds', 1, '')).toMatchObject({ action: 'fail' });
    expect(onSignFailure('not_possible', 1, 'too big')).toMatchObject({ action: 'fail' });
  });

  it('recovers a stored transaction by its hash before anything else', () => {
    const pool = { state: 'pool', doubleSpendSeen: false } as const;
    const unknown = { state: 'unknown' } as const;
    const unspent = ['unspent', 'unspent'] as const;
    expect(decideInflight({ status: 'signed', tx: unknown, required: 10 })).toEqual({ action: 'check_inputs' });
    expect(decideInflight({ status: 'signed', tx: unknown, required: 10, keyImages: [...unspent] })).toEqual({ action: 'relay' });
    expect(decideInflight({ status: 'signed', tx: pool, required: 10 })).toEqual({ action: 'mark_broadcast' });
    expect(decideInflight({ status: 'signed', tx: { state: 'mined', height: 5, confirmations: 30 }, required: 10 })).toEqual({
      action: 'mark_broadcast',
    });
    expect(decideInflight({ status: 'broadcast', tx: pool, required: 10 })).toEqual({ action: 'track', height: null, confirmations: 0 });
    expect(decideInflight({ status: 'broadcast', tx: { ...pool, relayed: true }, required: 10 })).toEqual({
      action: 'track',
      height: null,
      confirmations: 0,
    });
    expect(decideInflight({ status: 'broadcast', tx: { state: 'mined', height: 5, confirmations: 9 }, required: 10 })).toEqual({
      action: 'track',
      height: 5,
      confirmations: 9,
    });
    expect(decideInflight({ status: 'broadcast', tx: { state: 'mined', height: 5, confirmations: 10 }, required: 10 })).toEqual({
      action: 'confirm',
      height: 5,
      confirmations: 10,
    });
    expect(decideInflight({ status: 'broadcast', tx: unknown, required: 10, keyImages: [...unspent] })).toEqual({ action: 'relay' });
    expect(decideInflight({ status: 'signed', tx: unknown, required: 10, relayFailed: true, keyImages: [...unspent] }).action).toBe(
      'retry_later',
    );
  });

  it("after a restart: relays a pool transaction the daemon never relayed (the drill's stuck 6.16 XMR)", () => {
    const unrelayed = { state: 'pool', doubleSpendSeen: false, relayed: false } as const;
    expect(decideInflight({ status: 'broadcast', tx: unrelayed, required: 10 })).toEqual({ action: 'relay_pooled' });
    // A stored `signed` one found there is first marked broadcast (then relayed on the next look).
    expect(decideInflight({ status: 'signed', tx: unrelayed, required: 10 })).toEqual({ action: 'mark_broadcast' });
  });

  it('re-queues (never fails) withdrawals whose transaction provably never left; waits while an input is in the pool', () => {
    const unknown = { state: 'unknown' } as const;
    for (const status of ['signed', 'broadcast'] as const) {
      for (const relayFailed of [false, true]) {
        // An input spent on chain while our transaction is unknown: it can never be mined.
        expect(decideInflight({ status, tx: unknown, required: 10, relayFailed, keyImages: ['unspent', 'chain'] }).action).toBe('requeue');
        // Spent in the pool (e.g. by our earlier transaction the restarted wallet forgot): not yet proof.
        expect(decideInflight({ status, tx: unknown, required: 10, relayFailed, keyImages: ['unspent', 'pool'] }).action).toBe('wait');
      }
    }
    // Found by hash after all (mined between the key-image and the hash look-ups): it is ours, tracked.
    expect(
      decideInflight({ status: 'broadcast', tx: { state: 'mined', height: 5, confirmations: 1 }, required: 10, keyImages: ['chain'] })
        .action,
    ).toBe('track');
    expect(canTransition('signed', 'queued')).toBe(true);
    expect(canTransition('broadcast', 'queued')).toBe(true);
    expect(canTransition('confirmed', 'queued')).toBe(false);
  });

  it('after a restart signs nothing new until the wallet caught up and every stored transaction is mined', () => {
    const mined = { state: 'mined', height: 90, confirmations: 1 } as const;
    const pool = { state: 'pool', doubleSpendSeen: false, relayed: true } as const;
    expect(reconcileGate({ wallet: 100, daemon: 100, open: [] })).toEqual({ ready: true });
    expect(reconcileGate({ wallet: 100, daemon: 100, open: [{ status: 'broadcast', txHash: 'a', tx: mined }] })).toEqual({ ready: true });
    expect(reconcileGate({ wallet: 99, daemon: 100, open: [] })).toMatchObject({
      ready: false,
      note: expect.stringMatching(/refreshing: at 99 of 100/),
    });
    expect(reconcileGate({ wallet: 100, daemon: 100, open: [{ status: 'broadcast', txHash: 'a', tx: pool }] })).toMatchObject({
      ready: false,
      note: expect.stringMatching(/a is in the pool/),
    });
    expect(
      reconcileGate({ wallet: 100, daemon: 100, open: [{ status: 'broadcast', txHash: 'a', tx: { state: 'unknown' } }] }),
    ).toMatchObject({ ready: false });
    expect(reconcileGate({ wallet: 100, daemon: 100, open: [{ status: 'signed', txHash: 'a', tx: { state: 'unknown' } }] })).toMatchObject({
      ready: false,
    });
    expect(
      reconcileGate({
        wallet: 100,
        daemon: 100,
        open: [
          { status: 'broadcast', txHash: 'a', tx: mined },
          { status: 'broadcast', txHash: 'b', tx: pool },
        ],
      }),
    ).toMatchObject({ ready: false });
  });

  it('backs off exponentially between attempts, up to a cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(n, 1000, 5000))).toEqual([0, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffMs(5, 0, 5000)).toBe(0);
    expect(backoffMs(1000, 1000, 3_600_000)).toBe(3_600_000); // no overflow
  });

  it('fails an invalidating transaction only when the money provably cannot leave', () => {
    const unknown = { state: 'unknown' } as const;
    const base = { tx: unknown, required: 10, reason: 'gave up' };
    // It reached the network after all: track it, never fail it.
    expect(
      decideInvalidation({ ...base, tx: { state: 'pool', doubleSpendSeen: false }, keyImages: ['pool'], replacement: null }).action,
    ).toBe('back_to_broadcast');
    expect(
      decideInvalidation({
        ...base,
        tx: { state: 'mined', height: 3, confirmations: 1 },
        keyImages: ['chain'],
        replacement: { state: 'unknown' },
      }).action,
    ).toBe('back_to_broadcast');
    // Inputs unspent: someone holding the blob could still relay it → replace, do not fail.
    expect(decideInvalidation({ ...base, keyImages: ['unspent', 'unspent'], replacement: null }).action).toBe('replace');
    expect(decideInvalidation({ ...base, keyImages: ['unspent'], replacement: { state: 'unknown' } }).action).toBe('replace');
    // The replacement is in the pool or not deep enough: wait.
    expect(
      decideInvalidation({ ...base, keyImages: ['pool', 'unspent'], replacement: { state: 'pool', doubleSpendSeen: false } }).action,
    ).toBe('wait');
    expect(decideInvalidation({ ...base, keyImages: ['chain'], replacement: { state: 'mined', height: 5, confirmations: 9 } }).action).toBe(
      'wait',
    );
    // Deep replacement, or an input spent on chain by another transaction of ours: fail.
    expect(decideInvalidation({ ...base, keyImages: ['chain'], replacement: { state: 'mined', height: 5, confirmations: 10 } })).toEqual({
      action: 'fail',
      reason: 'gave up',
    });
    expect(decideInvalidation({ ...base, keyImages: ['unspent', 'chain'], replacement: null }).action).toBe('fail');
  });
});
