import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '@pupero/db';
import { migrations as ledgerMigrations } from '@pupero/transactions/migrations';
import { verifyLedger } from '@pupero/transactions/ledger/verify';
import { fakeAddress, FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { DepositAddresses } from '../deposits/addresses.js';
import { Lease } from '../shared/lease.js';
import { DbLedger } from '../testing/db-ledger.js';
import { walletTestDb } from '../testing/fixtures.js';
import { testWithdrawalRequests, testWithdrawalWorker } from '../testing/withdrawals.js';
import { WithdrawalHolds } from './hold.js';
import { findWithdrawal, stuckWithdrawals } from './withdrawal-store.js';

const XMR = 1_000_000_000_000n;
const FEE = 3_000_000_000n;

/**
 * Chaos test of the withdrawal worker (issue 10): a wallet that refuses one destination for ever,
 * then a daemon that refuses one stored transaction for ever. Everyone else's withdrawals confirm;
 * the two stuck ones fail with their holds released; the REAL ledger (the Transactions service's
 * commands, on the same database) verifies and every balance is exact.
 */
describe('withdrawal worker chaos (fake chain, real ledger and database)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await walletTestDb();
    await migrate(db, 'transactions', ledgerMigrations);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('confirms the others, fails the stuck ones with holds released, and the ledger verifies', async () => {
    const wallet = new FakeHotWallet();
    const ledger = new DbLedger(db);
    const holds = new WithdrawalHolds(db, ledger);
    const worker = testWithdrawalWorker({
      wallet: () => wallet,
      db,
      holds,
      ledger,
      lease: new Lease(db, 'withdrawals', 60_000),
      feeReserve: async () => wallet.feePerTx,
      retry: { maxAttempts: 4 },
    });
    const requests = testWithdrawalRequests({ db, holds, wallet: () => wallet, quoteFee: async () => FEE });

    // Users' money: 20 XMR each in the ledger, backed by four 30 XMR outputs in the hot wallet.
    const users = ['alice', 'bob', 'carol'];
    const sub = await new DepositAddresses(db, () => wallet).forUser('alice');
    for (let i = 0; i < 4; i++) wallet.deposit(sub.subaddressIndex, 30n * XMR);
    wallet.mine(10);
    for (const [i, u] of users.entries())
      await ledger.creditDeposit({ userId: u, txid: `chaos-deposit-${i}`, outputKey: '0', amount: 20n * XMR });

    // Phase 1: carol's destination is refused by the wallet for ever; it is the oldest in the queue.
    const BAD = fakeAddress('walletrefusesthis');
    wallet.refusedDestinations.add(BAD);
    const refused = await requests.create('carol', 'c1', { address: BAD, amount: '2' });
    const good = [
      await requests.create('alice', 'a1', { address: fakeAddress('alicedest'), amount: '1' }),
      await requests.create('bob', 'b1', { address: fakeAddress('bobdest'), amount: '1' }),
      await requests.create('alice', 'a2', { address: fakeAddress('alicedest2'), amount: '0.5' }),
    ];
    // One withdrawal per run goes alone past the refused one (the others' outputs are still unlocked).
    for (let round = 0; round < 3; round++) await worker.run();
    for (const w of good) expect((await findWithdrawal(db, w.id))!.status).toBe('broadcast');

    // Phase 2: the daemon refuses the next stored transaction for ever.
    wallet.refuseNextSigned = true;
    const stuck = await requests.create('bob', 'b2', { address: fakeAddress('bobdest2'), amount: '3' });
    const late: typeof good = [];
    for (let round = 0; round < 40; round++) {
      await worker.run();
      if (round === 8) late.push(await requests.create('carol', 'c2', { address: fakeAddress('caroldest'), amount: '4' }));
      wallet.mine(1);
    }

    for (const w of [...good, ...late]) expect((await findWithdrawal(db, w.id))!.status, w.address).toBe('confirmed');
    expect(await findWithdrawal(db, refused.id)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/after 4 attempts/),
    });
    expect(await findWithdrawal(db, stuck.id)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/refused/) });
    expect(wallet.received(BAD)).toEqual([]);
    expect(wallet.received(stuck.address)).toEqual([]);

    // Holds released, balances exact: each confirmed withdrawal cost amount + fee, failed ones nothing.
    const spent = (u: string) => [...good, ...late].filter((w) => w.userId === u).reduce((s, w) => s + w.amount + w.fee, 0n);
    for (const u of users) expect(await ledger.balance(u), u).toEqual({ available: 20n * XMR - spent(u), held: 0n });
    const report = await verifyLedger(db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await stuckWithdrawals(db, 60_000)).toEqual([]);
  });
});
