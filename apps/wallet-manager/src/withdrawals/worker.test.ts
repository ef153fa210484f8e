import assert from 'node:assert/strict';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@pupero/db';
import { AppError } from '@pupero/http';
import { fakeAddress, FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { TransferFailure } from '../chain/hot-wallet.js';
import type { CrashPoint } from '../config.js';
import { DepositAddresses } from '../deposits/addresses.js';
import { Lease } from '../shared/lease.js';
import { FakeLedger } from '../testing/fake-ledger.js';
import { useWalletTestDb } from '../testing/fixtures.js';
import { TestCrash, testWithdrawalRequests, testWithdrawalWorker, WorkerProcesses } from '../testing/withdrawals.js';
import { WithdrawalHolds } from './hold.js';
import { WithdrawalRequests } from './requests.js';
import { findBatch, findWithdrawal, listUserWithdrawals, openBatches } from './withdrawal-store.js';
import type { RetryPolicy } from './worker.js';

const OUT = fakeAddress('outside');
const FEE = 3_000_000_000n;

describe('withdrawals (fake chain, real database)', () => {
  let db: Db;
  let wallet: FakeHotWallet;
  let ledger: FakeLedger;
  let requests: WithdrawalRequests;
  let twoFactor: { enabled: boolean; codes: Set<string> };
  // One lease for every worker of a test: a restarted process would wait for the old lease to expire.
  let lease: Lease;

  const processes = new WorkerProcesses((o: { crashAfter?: CrashPoint; lease?: Lease; retry?: Partial<RetryPolicy> }) =>
    testWithdrawalWorker({
      wallet: () => wallet,
      db,
      holds: new WithdrawalHolds(db, ledger),
      ledger,
      lease: o.lease ?? lease,
      feeReserve: async () => wallet.feePerTx,
      crashAfter: o.crashAfter,
      retry: o.retry,
    }),
  );
  const { worker, restart } = processes;
  const request = (userId: string, key: string, body: { address: string; amount: string; totp_code?: string }) =>
    requests.create(userId, key, body);

  useWalletTestDb((d) => (db = d), { emptyBeforeEach: true });
  beforeEach(async () => {
    wallet = new FakeHotWallet();
    ledger = new FakeLedger();
    processes.reset();
    lease = new Lease(db, 'withdrawals', 60_000);
    twoFactor = { enabled: false, codes: new Set() };
    requests = testWithdrawalRequests({
      db,
      holds: new WithdrawalHolds(db, ledger),
      wallet: () => wallet,
      twoFactor: {
        isEnabled: async () => twoFactor.enabled,
        verify: async (_u, code) => ({ enabled: twoFactor.enabled, valid: twoFactor.codes.delete(code) }),
      },
      quoteFee: async () => FEE,
    });
    // The hot wallet holds 100 units of user money, unlocked.
    const sub = await new DepositAddresses(db, () => wallet).forUser('alice');
    wallet.deposit(sub.subaddressIndex, 100_000_000_000_000n);
    wallet.mine(10);
    ledger.fund('alice', 100_000_000_000_000n);
  });

  it('queues, signs, relays, follows confirmations and finalises the ledger at N', async () => {
    const w = await request('alice', 'k1', { address: OUT, amount: '1.5' });
    expect(w).toMatchObject({ status: 'queued', amount: 1_500_000_000_000n, fee: FEE });
    expect(ledger.holdState(w.id)).toBe('held');

    await worker().run();
    expect(await findWithdrawal(db, w.id)).toMatchObject({ status: 'broadcast', txHash: expect.any(String), networkFee: wallet.feePerTx });
    expect(wallet.received(OUT)).toEqual([{ hash: (await findWithdrawal(db, w.id))!.txHash, amount: 1_500_000_000_000n }]);

    wallet.mine(9);
    await worker().run();
    expect(await findWithdrawal(db, w.id)).toMatchObject({ status: 'broadcast', confirmations: 9 });
    expect(ledger.holdState(w.id)).toBe('held');

    wallet.mine(1);
    await worker().run();
    expect(await findWithdrawal(db, w.id)).toMatchObject({ status: 'confirmed', confirmations: 10 });
    expect(ledger.holdState(w.id)).toBe('finalised');
    expect(ledger.platform).toBe(FEE - wallet.feePerTx);
    expect(wallet.relayedCount()).toBe(1);
  });

  it('batches queued withdrawals into one transaction and splits its network fee', async () => {
    const ids = [];
    for (const [i, amount] of ['1', '2', '3'].entries()) ids.push((await request('alice', `b${i}`, { address: OUT, amount })).id);
    await worker().run();
    const rows = await Promise.all(ids.map((id) => findWithdrawal(db, id)));
    expect(new Set(rows.map((r) => r!.txHash)).size).toBe(1);
    expect(wallet.signCalls).toHaveLength(1);
    expect(wallet.signCalls[0]).toHaveLength(3);
    expect(rows.reduce((s, r) => s + r!.networkFee!, 0n)).toBe(wallet.feePerTx);
  });

  for (const point of ['signed', 'relayed', 'broadcast'] as const) {
    it(`after a crash right after "${point}", recovers by hash: exactly one transaction`, async () => {
      const w = await request('alice', 'c1', { address: OUT, amount: '2' });
      await expect(worker({ crashAfter: point }).run()).rejects.toThrow(TestCrash);
      expect((await findWithdrawal(db, w.id))!.status).toBe(point === 'broadcast' ? 'broadcast' : 'signed');
      await restart().run(); // the restarted process
      await worker().run();
      expect(await findWithdrawal(db, w.id)).toMatchObject({ status: 'broadcast' });
      expect(wallet.signCalls).toHaveLength(1);
      expect(wallet.relayedCount()).toBe(1);
      expect(wallet.received(OUT)).toHaveLength(1);
      wallet.mine(10);
      await worker().run();
      expect(await findWithdrawal(db, w.id)).toMatchObject({ status: 'confirmed' });
    });
  }

  it('re-relays a broadcast transaction that fell out of the pool, with the same hash', async () => {
    const w = await request('alice', 'd1', { address: OUT, amount: '1' });
    await worker().run();
    const { txHash } = (await findWithdrawal(db, w.id))!;
    wallet.dropFromPool(txHash!);
    await worker().run();
    expect(wallet.received(OUT)).toEqual([{ hash: txHash, amount: 1_000_000_000_000n }]);
    expect(wallet.signCalls).toHaveLength(1);
  });

  it('keeps a transaction whose relay failed, and signs nothing new until it is out', async () => {
    const first = await request('alice', 'r1', { address: OUT, amount: '1' });
    wallet.nextRelayFailure = new Error('daemon busy');
    await worker().run();
    expect(await findWithdrawal(db, first.id)).toMatchObject({ status: 'signed' });
    const second = await request('alice', 'r2', { address: OUT, amount: '1' });
    wallet.nextRelayFailure = new Error('daemon busy');
    await worker().run();
    expect(wallet.signCalls).toHaveLength(1);
    expect((await findWithdrawal(db, second.id))!.status).toBe('queued');
    await worker().run();
    expect((await findWithdrawal(db, first.id))!.status).toBe('broadcast');
    expect(wallet.relayedCount()).toBe(1);
  });

  it('re-queues (never fails) the withdrawals of a stored transaction whose inputs were provably spent elsewhere', async () => {
    const w = await request('alice', 'u1', { address: OUT, amount: '1' });
    await expect(worker({ crashAfter: 'signed' }).run()).rejects.toThrow(TestCrash);
    const [batch] = await openBatches(db);
    assert(batch, 'a stored transaction');
    wallet.spendElsewhere(batch.keyImages);
    wallet.deposit(1, 5_000_000_000_000n); // another output to pay it from
    wallet.mine(10);
    await restart().run(); // re-queued (hold kept), the wallet scanned to the daemon's height, signed again
    expect((await findBatch(db, batch.id))!).toMatchObject({ status: 'dropped', txMetadata: '' });
    const again = (await findWithdrawal(db, w.id))!;
    expect(again).toMatchObject({ status: 'broadcast', attempts: 1 });
    expect(again.batchId).not.toBe(batch.id);
    expect(ledger.holdState(w.id)).toBe('held');
    expect(wallet.relayCalls).toEqual([`meta:${again.txHash}`]); // the dead transaction was never relayed
    expect(wallet.received(OUT)).toEqual([{ hash: again.txHash, amount: 1_000_000_000_000n }]);
  });

  it('after a restart signs nothing new until our pool transaction is mined and the wallet caught up', async () => {
    const a = await request('alice', 'g1', { address: OUT, amount: '1' });
    wallet.deposit(1, 5_000_000_000_000n);
    wallet.mine(10);
    await expect(worker({ crashAfter: 'relayed' }).run()).rejects.toThrow(TestCrash);
    const b = await request('alice', 'g2', { address: OUT, amount: '1' });
    wallet.walletLag = 3;
    const restarted = restart();
    await restarted.run();
    expect((await findWithdrawal(db, a.id))!.status).toBe('broadcast'); // found by hash
    expect((await findWithdrawal(db, b.id))!.status).toBe('queued'); // not signed: A is still in the pool
    expect(restarted.isReconciled).toBe(false);
    expect(wallet.signCalls).toHaveLength(1);
    wallet.mine(1);
    await restarted.run();
    expect(restarted.isReconciled).toBe(true);
    expect((await findWithdrawal(db, b.id))!.status).toBe('broadcast');
    expect(wallet.signCalls).toHaveLength(2);
  });

  it('reconciles again when the wallet comes back after failing calls', async () => {
    const a = await request('alice', 'h1', { address: OUT, amount: '1' });
    wallet.deposit(1, 5_000_000_000_000n);
    wallet.mine(10);
    await worker().run();
    expect(worker().isReconciled).toBe(true);
    wallet.down = true;
    await worker().run();
    expect(worker().isReconciled).toBe(false);
    wallet.down = false;
    const b = await request('alice', 'h2', { address: OUT, amount: '1' });
    await worker().run();
    expect((await findWithdrawal(db, b.id))!.status).toBe('queued'); // A is in the pool: wait for it
    wallet.mine(1);
    await worker().run();
    expect((await findWithdrawal(db, a.id))!.status).toBe('broadcast');
    expect((await findWithdrawal(db, b.id))!.status).toBe('broadcast');
  });

  it('asks the daemon to relay our pool transaction it never relayed', async () => {
    const w = await request('alice', 'p1', { address: OUT, amount: '1' });
    await worker().run();
    const { txHash } = (await findWithdrawal(db, w.id))!;
    wallet.holdUnrelayed(txHash!);
    wallet.mine(10); // an unrelayed transaction is never mined
    await restart().run();
    expect((await findWithdrawal(db, w.id))!.confirmations).toBe(0);
    expect(wallet.relayPooledCalls).toEqual([[txHash]]);
    wallet.mine(10);
    await worker().run();
    expect((await findWithdrawal(db, w.id))!.status).toBe('confirmed');
    expect(wallet.signCalls).toHaveLength(1);
  });

  // Request, run, mine, run, check: the same steps as the tests above, each test telling its own scenario in full.
  it('waits for locked change instead of failing, then sends', async () => {
    const a = await request('alice', 'l1', { address: OUT, amount: '1' });
    await worker().run(); // spends the only output; its change is locked for 10 blocks
    const b = await request('alice', 'l2', { address: OUT, amount: '1' });
    await worker().run();
    expect(await findWithdrawal(db, b.id)).toMatchObject({ status: 'queued', lastError: expect.stringMatching(/unlock/) });
    wallet.mine(10);
    await worker().run();
    expect((await findWithdrawal(db, a.id))!.status).toBe('confirmed');
    expect((await findWithdrawal(db, b.id))!.status).toBe('broadcast');
  });

  it('retries a refused batch one by one and fails only the bad withdrawal, releasing its hold', async () => {
    const good = await request('alice', 'g', { address: OUT, amount: '1' });
    const bad = await request('alice', 'x', { address: OUT, amount: '2' });
    wallet.nextSignFailure = new TransferFailure('invalid_destination', 'refused');
    await worker().run(); // batch refused → first alone succeeds
    expect((await findWithdrawal(db, good.id))!.status).toBe('broadcast');
    wallet.mine(10);
    wallet.nextSignFailure = new TransferFailure('invalid_destination', 'refused by the wallet');
    await worker().run();
    expect(await findWithdrawal(db, bad.id)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/refused by the wallet/),
    });
    expect(ledger.holdState(bad.id)).toBe('released');
    expect(ledger.available.get('alice')).toBe(100_000_000_000_000n - 1_000_000_000_000n - FEE);
  });

  it('leaves queued withdrawals alone while the wallet is unavailable', async () => {
    const w = await request('alice', 'down', { address: OUT, amount: '1' });
    wallet.nextSignFailure = new TransferFailure('unavailable', 'connection refused');
    await worker().run();
    expect(await findWithdrawal(db, w.id)).toMatchObject({ status: 'queued', lastError: expect.stringMatching(/unavailable/) });
    await worker().run();
    expect((await findWithdrawal(db, w.id))!.status).toBe('broadcast');
  });

  it('returns the same withdrawal for the same key and body, and refuses the key with another body', async () => {
    const a = await request('alice', 'same', { address: OUT, amount: '1' });
    const b = await request('alice', 'same', { address: OUT, amount: '1.0' });
    expect(b.id).toBe(a.id);
    await expect(request('alice', 'same', { address: OUT, amount: '2' })).rejects.toMatchObject({
      statusCode: 409,
      code: 'idempotency_key_reused',
    });
    expect(ledger.calls.filter((c) => c.endsWith(':hold'))).toHaveLength(1);
  });

  it('refuses bad addresses, missing 2FA and insufficient funds with nothing stored or held', async () => {
    const refused = async (body: { address: string; amount: string; totp_code?: string }, status: number, code: string) => {
      const error = await request('alice', `k-${Math.random()}`, body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ statusCode: status, code });
    };
    await refused({ address: 'not an address', amount: '1' }, 400, 'invalid_address');
    await refused({ address: fakeAddress('testnet', { network: 'testnet' }), amount: '1' }, 400, 'invalid_address');
    await refused({ address: fakeAddress('integrated', { integrated: true }), amount: '1' }, 400, 'invalid_address');
    const own = await new DepositAddresses(db, () => wallet).forUser('alice');
    await refused({ address: own.address, amount: '1' }, 400, 'invalid_address');
    twoFactor.enabled = true;
    twoFactor.codes.add('123456');
    await refused({ address: OUT, amount: '1' }, 401, 'two_factor_required');
    await refused({ address: OUT, amount: '1', totp_code: '000000' }, 401, 'two_factor_required');
    await refused({ address: OUT, amount: '100000', totp_code: '123456' }, 409, 'insufficient_funds');
    // The refused request keeps a `rejected` row (never listed, never holding money), nothing else.
    expect((await db.query('SELECT status FROM wallet.withdrawals')).rows).toEqual([{ status: 'rejected' }]);
    expect(await listUserWithdrawals(db, 'alice', 10)).toEqual([]);
    expect(ledger.held.get('alice') ?? 0n).toBe(0n);
  });

  it('finishes a request whose hold call was interrupted (the hold is idempotent)', async () => {
    const flaky = Object.create(ledger) as FakeLedger;
    flaky.holdWithdrawal = async (p) => {
      await ledger.holdWithdrawal(p);
      throw new AppError(502, 'service_unavailable', 'transactions is unavailable');
    };
    const interrupted = new WithdrawalRequests({
      ...(requests as unknown as { deps: ConstructorParameters<typeof WithdrawalRequests>[0] }).deps,
      holds: new WithdrawalHolds(db, flaky),
    });
    await expect(interrupted.create('alice', 'i1', { address: OUT, amount: '1' })).rejects.toMatchObject({ statusCode: 502 });
    expect(await listUserWithdrawals(db, 'alice', 10)).toEqual([]); // not visible while requested
    await worker().run();
    const [w] = await listUserWithdrawals(db, 'alice', 10);
    expect(w?.status).toBe('broadcast');
    expect(ledger.calls.filter((c) => c.endsWith(':hold'))).toHaveLength(2);
  });

  it('lets only one lease holder work at a time, and a dead holder’s lease expires', async () => {
    const a = new Lease(db, 'withdrawals', 1000);
    const b = new Lease(db, 'withdrawals', 1000);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await a.acquire()).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
  });
});
