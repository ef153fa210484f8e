import assert from 'node:assert/strict';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@pupero/db';
import { AppError } from '@pupero/http';
import { fakeAddress, FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { ChainUnavailableError } from '../chain/hot-wallet.js';
import type { Ledger } from '../clients/ledger.js';
import type { CrashPoint } from '../config.js';
import { DepositAddresses } from '../deposits/addresses.js';
import { Lease } from '../shared/lease.js';
import { FakeLedger } from '../testing/fake-ledger.js';
import { useWalletTestDb } from '../testing/fixtures.js';
import { TestCrash, testWithdrawalRequests, testWithdrawalWorker, WorkerProcesses } from '../testing/withdrawals.js';
import { WithdrawalHolds } from './hold.js';
import { findBatch, findUserWithdrawal, findWithdrawal, openBatches, startInvalidation } from './withdrawal-store.js';
import type { RetryPolicy } from './worker.js';

const OUT = fakeAddress('outside');
const BAD = fakeAddress('refusedforever');
const FEE = 3_000_000_000n;
const XMR = 1_000_000_000_000n;

/** Issue 10, points 3 and 4: one bad withdrawal never stalls everyone's; a refused hold is never orphaned. */
describe('withdrawal queue under failures (fake chain, real database)', () => {
  // The same fake world as worker.test.ts (database, fake wallet and ledger, one lease); each file sets up its own scenario.
  let db: Db;
  let wallet: FakeHotWallet;
  let ledger: FakeLedger;
  let lease: Lease;

  const processes = new WorkerProcesses((o: { crashAfter?: CrashPoint; retry?: Partial<RetryPolicy>; ledger?: Ledger }) =>
    testWithdrawalWorker({
      wallet: () => wallet,
      db,
      holds: new WithdrawalHolds(db, o.ledger ?? ledger),
      ledger: o.ledger ?? ledger,
      lease,
      feeReserve: async () => wallet.feePerTx,
      crashAfter: o.crashAfter,
      retry: o.retry,
    }),
  );
  const { worker } = processes;
  const requestsWith = (l: Ledger) =>
    testWithdrawalRequests({ db, holds: new WithdrawalHolds(db, l), wallet: () => wallet, quoteFee: async () => FEE });
  const request = (key: string, address: string, amount: string, userId = 'alice') =>
    requestsWith(ledger).create(userId, key, { address, amount });
  /** Signs what is queued and "crashes" before relaying it: the stored, never relayed transaction. */
  const signedNotRelayed = async () => {
    await expect(worker({ crashAfter: 'signed' }).run()).rejects.toThrow(TestCrash);
    const [batch] = await openBatches(db);
    assert(batch, 'a stored transaction');
    return batch;
  };

  useWalletTestDb((d) => (db = d), { emptyBeforeEach: true });
  beforeEach(async () => {
    wallet = new FakeHotWallet();
    processes.reset();
    ledger = new FakeLedger();
    lease = new Lease(db, 'withdrawals', 60_000);
    // Two unlocked outputs of 50 XMR in the hot wallet, 100 XMR of user money in the ledger.
    const sub = await new DepositAddresses(db, () => wallet).forUser('alice');
    wallet.deposit(sub.subaddressIndex, 50n * XMR);
    wallet.deposit(sub.subaddressIndex, 50n * XMR);
    wallet.mine(10);
    ledger.fund('alice', 100n * XMR);
  });

  it('an error on one withdrawal does not abort the run for the others', async () => {
    // A request whose hold call keeps failing (not a refusal: an outage for that one row)…
    const broken: Ledger = Object.create(ledger) as FakeLedger;
    broken.holdWithdrawal = async () => {
      throw new AppError(502, 'service_unavailable', 'transactions is unavailable');
    };
    await expect(requestsWith(broken).create('alice', 'stuck-request', { address: OUT, amount: '1' })).rejects.toMatchObject({
      statusCode: 502,
    });
    const fine = await request('fine', OUT, '2');
    // …and a worker whose ledger still fails for that row only.
    const picky: Ledger = Object.create(ledger) as FakeLedger;
    picky.holdWithdrawal = async (p) => (p.withdrawalId === fine.id ? ledger.holdWithdrawal(p) : broken.holdWithdrawal(p));
    await worker({ ledger: picky }).run();
    expect((await findWithdrawal(db, fine.id))!.status).toBe('broadcast');
  });

  it('splits a refused batch: a destination refused for ever fails after its attempts, the others are sent', async () => {
    wallet.refusedDestinations.add(BAD);
    const bad = await request('bad', BAD, '3'); // the oldest: first in every batch
    const a = await request('a', OUT, '1');
    const b = await request('b', fakeAddress('second'), '1');

    await worker().run(); // batch refused → each alone, oldest first: bad (attempt 1), then a goes; b waits its turn
    expect((await findWithdrawal(db, bad.id))!).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await findWithdrawal(db, a.id))!.status).toBe('broadcast');

    await worker().run(); // bad attempt 2; b goes alone on the second output
    expect((await findWithdrawal(db, b.id))!.status).toBe('broadcast');
    expect((await findWithdrawal(db, bad.id))!).toMatchObject({ status: 'queued', attempts: 2 });

    wallet.mine(10); // both outputs were spent: their change unlocks (else the wallet cannot even try)
    await worker().run(); // attempt 3 = the last: failed, never signed, hold released
    const failed = (await findWithdrawal(db, bad.id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/could not be sent after 3 attempts.*returned to your balance/),
    });
    expect(ledger.holdState(bad.id)).toBe('released');
    expect(wallet.received(BAD)).toEqual([]);
    // The user reads the reason in GET /wallet/withdrawals(/{id}).
    expect((await findUserWithdrawal(db, 'alice', bad.id))!.failureReason).toBe(failed.failureReason);

    expect((await findWithdrawal(db, a.id))!.status).toBe('confirmed');
    expect((await findWithdrawal(db, b.id))!.status).toBe('confirmed');
  });

  it('backs off between attempts of a refused withdrawal', async () => {
    wallet.refusedDestinations.add(BAD);
    const bad = await request('bad', BAD, '3');
    await worker({ retry: { baseMs: 60_000, maxMs: 600_000 } }).run();
    const after = (await findWithdrawal(db, bad.id))!;
    expect(after.attempts).toBe(1);
    expect(after.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    const calls = wallet.signCalls.length;
    await worker({ retry: { baseMs: 60_000, maxMs: 600_000 } }).run();
    expect(wallet.signCalls.length).toBe(calls); // not due yet: not even tried
    expect((await findWithdrawal(db, bad.id))!.attempts).toBe(1);
    // Other withdrawals are not held up by the waiting one.
    const good = await request('good', OUT, '1');
    await worker({ retry: { baseMs: 60_000, maxMs: 600_000 } }).run();
    expect((await findWithdrawal(db, good.id))!.status).toBe('broadcast');
  });

  it('invalidates a stored transaction the daemon refuses for ever: never relayed again, failed only once its input is spent elsewhere', async () => {
    const stuck = await request('stuck', OUT, '5');
    const batch = await signedNotRelayed();
    wallet.refusedRelays.add(batch.txHash);

    await worker().run(); // refused 1
    await worker().run(); // refused 2
    expect((await findBatch(db, batch.id))!).toMatchObject({ status: 'signed', relayFailures: 2 });
    expect(ledger.holdState(stuck.id)).toBe('held');

    await worker().run(); // refused 3 = the last: invalidating, metadata wiped, an input re-spent to ourselves
    const inv = (await findBatch(db, batch.id))!;
    expect(inv).toMatchObject({ status: 'invalidating', txMetadata: '', replacementTxHash: expect.any(String) });
    const relaysBefore = wallet.relayCalls.length;
    // Not failed yet: the replacement is only in the pool. The hold stays.
    expect((await findWithdrawal(db, stuck.id))!.status).toBe('signed');
    expect(ledger.holdState(stuck.id)).toBe('held');

    // Meanwhile the queue moves on: another withdrawal is signed and sent (the other output).
    const other = await request('other', fakeAddress('another'), '1');
    await worker().run();
    expect((await findWithdrawal(db, other.id))!.status).toBe('broadcast');

    wallet.mine(1);
    await worker().run();
    expect((await findWithdrawal(db, stuck.id))!.status).toBe('signed'); // replacement mined, 1 confirmation: not deep yet
    wallet.mine(10);
    await worker().run();
    const failed = (await findWithdrawal(db, stuck.id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/refused .* too many times.*returned to your balance/),
    });
    expect(ledger.holdState(stuck.id)).toBe('released');
    expect((await findBatch(db, batch.id))!.status).toBe('failed');
    // The stuck transaction was never relayed after the decision, and never reached the chain.
    expect(wallet.relayCalls.slice(relaysBefore)).not.toContain(batch.txMetadata);
    expect((await wallet.txStates([batch.txHash])).get(batch.txHash)).toEqual({ state: 'unknown' });
    expect((await findWithdrawal(db, other.id))!.status).toBe('confirmed');
  });

  it('does not count an unreachable wallet-rpc as the daemon refusing the transaction', async () => {
    const w = await request('outage', OUT, '1');
    const batch = await signedNotRelayed();
    for (let i = 0; i < 5; i++) {
      wallet.nextRelayFailure = new ChainUnavailableError('wallet-rpc did not answer relay_tx in time');
      await worker().run();
    }
    expect((await findBatch(db, batch.id))!).toMatchObject({ status: 'signed', relayFailures: 0 });
    await worker().run();
    expect((await findWithdrawal(db, w.id))!.status).toBe('broadcast');
  });

  it('an invalidating transaction that shows up on the network after all is tracked and confirmed, not failed', async () => {
    const w = await request('late', OUT, '5');
    const batch = await signedNotRelayed();
    // The operator gives up on it (as the admin route does); then someone who held the blob relays it.
    expect(await startInvalidation(db, batch.id, 'cancelled')).toBe(true);
    await wallet.relay(batch.txMetadata);
    await worker().run();
    expect((await findWithdrawal(db, w.id))!.status).toBe('broadcast');
    wallet.mine(10);
    await worker().run();
    expect((await findWithdrawal(db, w.id))!.status).toBe('confirmed');
    expect(ledger.holdState(w.id)).toBe('finalised');
  });

  it('serialises hold + mark per withdrawal: a retry racing an insufficient_funds answer never orphans a hold', async () => {
    // The first hold call is decided (insufficient: alice has nothing yet) but its answer is held back;
    // meanwhile alice is funded and a retry with the same Idempotency-Key arrives.
    const poor = new FakeLedger();
    const gates: Array<() => void> = [];
    let calls = 0;
    const gated: Ledger = Object.create(poor) as FakeLedger;
    gated.holdWithdrawal = async (p) => {
      calls++;
      const outcome = poor.holdWithdrawal(p).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      await new Promise<void>((resolve) => gates.push(resolve));
      const o = await outcome;
      if (!o.ok) throw o.e;
      return o.r;
    };
    const requests = requestsWith(gated);
    const waitFor = async (cond: () => boolean, ms = 500) => {
      for (const end = Date.now() + ms; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
    };

    const first = requests.create('alice', 'race', { address: OUT, amount: '1' }).catch((e: unknown) => e);
    await waitFor(() => calls === 1);
    poor.fund('alice', 10n * XMR);
    const retry = requests.create('alice', 'race', { address: OUT, amount: '1' }).catch((e: unknown) => e);
    await waitFor(() => calls === 2, 300); // unserialised, the retry's hold goes through now
    gates.shift()!(); // the first request learns "insufficient funds"
    await first;
    await waitFor(() => gates.length > 0, 300);
    while (gates.length) gates.shift()!();
    const [a, b] = await Promise.all([first, retry]);

    const rows = (await db.query<{ id: string; status: string }>('SELECT id, status FROM wallet.withdrawals')).rows;
    const [row] = rows;
    assert(row && rows.length === 1, 'exactly one withdrawal row');
    const held = poor.held.get('alice') ?? 0n;
    // Never a hold without a queued row: either both answered 409 and nothing is held…
    if (row.status === 'rejected') {
      expect(held).toBe(0n);
      expect(a).toMatchObject({ statusCode: 409, code: 'insufficient_funds' });
      expect(b).toMatchObject({ statusCode: 409, code: 'insufficient_funds' });
    } else {
      // …or the withdrawal is queued and its hold is the one held.
      expect(row.status).toBe('queued');
      expect(held).toBe(XMR + FEE);
    }
    expect(poor.holdState(row.id) === 'held').toBe(row.status === 'queued');
    expect(calls).toBe(1); // the retry saw the outcome instead of calling again
  });
});
