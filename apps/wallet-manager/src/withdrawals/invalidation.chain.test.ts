import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@pupero/db';
import { DevChain } from '@pupero/monero';
import type { HotWallet } from '../chain/hot-wallet.js';
import { RpcHotWallet } from '../chain/rpc-hot-wallet.js';
import { DepositAddresses } from '../deposits/addresses.js';
import { Lease } from '../shared/lease.js';
import { FakeLedger } from '../testing/fake-ledger.js';
import { walletTestDb } from '../testing/fixtures.js';
import { TestCrash, testWithdrawalRequests, testWithdrawalWorker } from '../testing/withdrawals.js';
import { WithdrawalHolds } from './hold.js';
import { findBatch, findWithdrawal, openBatches } from './withdrawal-store.js';

const XMR = 1_000_000_000_000n;
const CONFIRMATIONS = 3;

/**
 * A stuck signed batch on a REAL regtest chain: the real wallet-rpc signs it (do_not_relay), a
 * "daemon" that refuses to relay it for ever is played by refusing its metadata in front of the
 * real wallet, and the worker invalidates it with a real sweep_single replacement. At the end the
 * stored transaction is provably dead: monerod sees its input spent and refuses the blob itself.
 */
describe('invalidating a stuck signed batch on a real regtest chain', { timeout: 300_000 }, () => {
  let chain: DevChain;
  let db: Db;

  beforeAll(async () => {
    [chain, db] = await Promise.all([DevChain.start(), walletTestDb()]);
  }, 300_000);
  afterAll(async () => {
    await chain?.stop();
    await db?.close();
  });

  it('never relays it again, re-spends an input, and fails the withdrawal only once that is deep', async () => {
    const real = new RpcHotWallet(chain.hot, chain.daemon);
    const refused = new Set<string>();
    const wallet: HotWallet = Object.assign(Object.create(real) as HotWallet, {
      relay: async (metadata: string) => {
        if (refused.has(metadata)) throw new Error('Failed to relay tx (the daemon refuses this transaction)');
        return real.relay(metadata);
      },
    });
    const ledger = new FakeLedger();
    const holds = new WithdrawalHolds(db, ledger);
    const lease = new Lease(db, 'withdrawals', 60_000); // one holder for every run (a new one would wait for it to expire)
    const worker = (crash = false) =>
      testWithdrawalWorker({
        wallet: () => wallet,
        db,
        holds,
        ledger,
        lease,
        requiredConfirmations: CONFIRMATIONS,
        feeReserve: async () => 100_000_000n,
        crashAfter: crash ? 'signed' : undefined,
        retry: { maxAttempts: 2 },
      });
    const requests = testWithdrawalRequests({ db, holds, wallet: () => wallet, quoteFee: async () => 10_000_000_000n });

    // The hot wallet receives user money (two outputs) and the user's ledger balance covers it.
    const sub = await new DepositAddresses(db, () => wallet).forUser('alice');
    await chain.faucet(sub.address, 5n * XMR, { confirmations: 0 });
    await chain.faucet(sub.address, 5n * XMR, { confirmations: 10 });
    await chain.hot.refresh();
    ledger.fund('alice', 10n * XMR);
    const outside = (await chain.startWallet('outside')).address;

    const w = await requests.create('alice', 'stuck-1', { address: outside, amount: '1' });
    await expect(worker(true).run()).rejects.toThrow(TestCrash); // signed and stored, never relayed
    const [batch] = await openBatches(db);
    assert(batch, 'a stored transaction');
    expect(batch.keyImages.length).toBeGreaterThan(0);
    refused.add(batch.txMetadata);

    await worker().run(); // refused once
    await worker().run(); // refused twice = the last attempt: invalidating + replacement relayed
    const inv = (await findBatch(db, batch.id))!;
    expect(inv).toMatchObject({ status: 'invalidating', txMetadata: '', replacementTxHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await real.txStates([inv.replacementTxHash!])).get(inv.replacementTxHash!)).toMatchObject({ state: 'pool' });
    expect(ledger.holdState(w.id)).toBe('held');

    await chain.mine(1);
    await worker().run();
    expect((await findWithdrawal(db, w.id))!.status).toBe('signed'); // 1 confirmation: not deep yet
    expect(ledger.holdState(w.id)).toBe('held');

    await chain.mine(CONFIRMATIONS);
    await worker().run();
    expect(await findWithdrawal(db, w.id)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/returned to your balance/),
    });
    expect(ledger.holdState(w.id)).toBe('released');

    // The proof, from monerod itself: an input is spent on chain and the stored blob can never be mined.
    expect(await real.keyImageStates(batch.keyImages.slice(0, 1))).toEqual(['chain']);
    expect((await real.txStates([batch.txHash])).get(batch.txHash)).toEqual({ state: 'unknown' });
    await expect(chain.hot.relayTx(batch.txMetadata)).rejects.toThrow();
    await chain.mine(1);
    expect((await real.txStates([batch.txHash])).get(batch.txHash)).toEqual({ state: 'unknown' });
  });
});
