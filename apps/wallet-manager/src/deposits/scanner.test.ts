import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@pupero/db';
import { FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { FakeLedger } from '../testing/fake-ledger.js';
import { silentLogger, useWalletTestDb } from '../testing/fixtures.js';
import { DepositAddresses } from './addresses.js';
import { DepositScanner } from './scanner.js';
import { CHECKPOINT, getChainHeight, listUserDeposits, pendingDepositTotal, pendingMinedDepositTotal } from './deposit-store.js';

describe('deposit scanner (fake chain, real database)', () => {
  let db: Db;
  let wallet: FakeHotWallet;
  let ledger: FakeLedger;
  let scanner: DepositScanner;
  let addresses: DepositAddresses;

  useWalletTestDb((d) => (db = d), { emptyBeforeEach: true });
  beforeEach(async () => {
    wallet = new FakeHotWallet();
    ledger = new FakeLedger();
    addresses = new DepositAddresses(db, () => wallet);
    scanner = new DepositScanner({ wallet: () => wallet, db, ledger, logger: silentLogger, requiredConfirmations: 10, rewindBlocks: 5 });
  });

  it('gives each user one subaddress, even under concurrent requests', async () => {
    const [a, b, c] = await Promise.all([addresses.forUser('alice'), addresses.forUser('alice'), addresses.forUser('bob')]);
    expect(a).toEqual(b);
    expect(c.subaddressIndex).not.toBe(a.subaddressIndex);
    expect((await addresses.forUser('alice')).address).toBe(a.address);
  });

  it('shows a deposit as pending from the pool on, and credits it once at exactly 10 confirmations', async () => {
    const alice = await addresses.forUser('alice');
    const txid = wallet.deposit(alice.subaddressIndex, 7_000n);
    await scanner.scan();
    expect(await listUserDeposits(db, 'alice', 10)).toEqual([expect.objectContaining({ txid, status: 'pending', blockHeight: null })]);
    expect(await pendingDepositTotal(db, 'alice')).toBe(7_000n);

    wallet.mine(9); // mined at 100, chain height 109: 9 confirmations
    await scanner.scan();
    expect((await listUserDeposits(db, 'alice', 10))[0]).toMatchObject({ status: 'pending', blockHeight: 100 });
    expect(ledger.available.get('alice')).toBeUndefined();

    wallet.mine(1);
    expect((await scanner.scan()).credited).toBe(1);
    expect((await listUserDeposits(db, 'alice', 10))[0]).toMatchObject({ status: 'credited' });
    expect(ledger.available.get('alice')).toBe(7_000n);
    expect(await pendingDepositTotal(db, 'alice')).toBe(0n);

    wallet.mine(5);
    await scanner.scan();
    await scanner.scan();
    expect(ledger.available.get('alice')).toBe(7_000n);
    expect(ledger.calls.filter((c) => c.startsWith('deposit:'))).toHaveLength(1);
    expect(await getChainHeight(db, CHECKPOINT)).toBe(115);
  });

  it('repeats only the idempotent ledger call after a crash between crediting and recording', async () => {
    const alice = await addresses.forUser('alice');
    wallet.deposit(alice.subaddressIndex, 5n);
    wallet.mine(10);
    const crashingLedger = Object.create(ledger) as FakeLedger;
    crashingLedger.creditDeposit = async (p) => {
      await ledger.creditDeposit(p);
      throw new Error('crash after the ledger call');
    };
    const crashing = new DepositScanner({
      wallet: () => wallet,
      db,
      ledger: crashingLedger,
      logger: silentLogger,
      requiredConfirmations: 10,
      rewindBlocks: 5,
    });
    await expect(crashing.scan()).rejects.toThrow(/crash/);
    expect((await listUserDeposits(db, 'alice', 10))[0]?.status).toBe('pending');
    await scanner.scan();
    expect((await listUserDeposits(db, 'alice', 10))[0]?.status).toBe('credited');
    expect(ledger.available.get('alice')).toBe(5n);
  });

  it('does not credit locked outputs, and lists them as rejected', async () => {
    const alice = await addresses.forUser('alice');
    wallet.deposit(alice.subaddressIndex, 9n, { unlockTime: 500n });
    wallet.mine(20);
    await scanner.scan();
    expect(await listUserDeposits(db, 'alice', 10)).toEqual([
      expect.objectContaining({ status: 'rejected', rejectReason: expect.stringMatching(/unlock_time/) }),
    ]);
    expect(ledger.available.get('alice')).toBeUndefined();
    expect(await pendingDepositTotal(db, 'alice')).toBe(0n);
  });

  it('keeps double-spend-flagged pool payments uncredited', async () => {
    const alice = await addresses.forUser('alice');
    wallet.deposit(alice.subaddressIndex, 9n, { doubleSpendSeen: true });
    wallet.mine(20);
    await scanner.scan();
    expect(await listUserDeposits(db, 'alice', 10)).toEqual([expect.objectContaining({ status: 'pending', blockHeight: null })]);
    expect(ledger.available.get('alice')).toBeUndefined();
  });

  it('counts only mined, uncredited deposits for reconciliation', async () => {
    const alice = await addresses.forUser('alice');
    wallet.deposit(alice.subaddressIndex, 3n);
    wallet.mine(2);
    wallet.deposit(alice.subaddressIndex, 4n);
    await scanner.scan();
    expect(await pendingMinedDepositTotal(db)).toBe(3n);
    expect(await pendingDepositTotal(db, 'alice')).toBe(7n);
  });

  it('answers ChainUnavailable when the wallet is down and recovers after', async () => {
    wallet.down = true;
    await expect(scanner.scan()).rejects.toThrow(/down/);
    wallet.down = false;
    await expect(scanner.scan()).resolves.toMatchObject({ chainHeight: 100 });
  });
});
