/**
 * A wallet-rpc or daemon slower than the request's budget (a frozen process): the request answers
 * 503 dependency_unavailable naming it, and when the slow call finally returns nothing is written.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@pupero/db';
import type { AppError } from '@pupero/http';
import { fakeAddress, FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { DepositAddresses } from '../deposits/addresses.js';
import { findDepositAddress } from '../deposits/deposit-store.js';
import { RequestDeadline } from '../shared/deadline.js';
import { FakeLedger } from '../testing/fake-ledger.js';
import { useWalletTestDb } from '../testing/fixtures.js';
import { testWithdrawalRequests } from '../testing/withdrawals.js';
import { WithdrawalHolds } from './hold.js';
import type { WithdrawalRequests } from './requests.js';
import { findWithdrawalByKey } from './withdrawal-store.js';

const BUDGET_MS = 300;
const SLOW_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A hot wallet whose calls answer only after `delayMs` (0: at once). */
class SlowWallet extends FakeHotWallet {
  delay = { checkAddress: 0, createSubaddress: 0, feePerByte: 0 };
  override async checkAddress(address: string) {
    await sleep(this.delay.checkAddress);
    return super.checkAddress(address);
  }
  override async createSubaddress(label: string) {
    await sleep(this.delay.createSubaddress);
    return super.createSubaddress(label);
  }
  override async feePerByte() {
    await sleep(this.delay.feePerByte);
    return super.feePerByte();
  }
}

describe('request deadline on a slow wallet/daemon (real database)', () => {
  let db: Db;
  let wallet: SlowWallet;
  let ledger: FakeLedger;
  let requests: WithdrawalRequests;

  const refusal = async (work: Promise<unknown>) => {
    const t0 = Date.now();
    const error = (await work.then(
      () => undefined,
      (e: unknown) => e,
    )) as AppError | undefined;
    return { ms: Date.now() - t0, status: error?.statusCode, body: error?.toBody?.() };
  };

  useWalletTestDb((d) => (db = d), { emptyBeforeEach: true });
  beforeEach(async () => {
    wallet = new SlowWallet();
    ledger = new FakeLedger();
    ledger.fund('alice', 100_000_000_000_000n);
    requests = testWithdrawalRequests({
      db,
      holds: new WithdrawalHolds(db, ledger),
      wallet: () => wallet,
      quoteFee: async () => (await wallet.feePerByte()) * 3000n,
    });
  });

  for (const [slow, dependency] of [
    ['checkAddress', 'wallet'],
    ['feePerByte', 'daemon'],
  ] as const) {
    it(`withdrawal: ${slow} slower than the budget → 503 naming the ${dependency}, and no withdrawal once it answers`, async () => {
      wallet.delay[slow] = SLOW_MS;
      const r = await refusal(
        requests.create('alice', 'k1', { address: fakeAddress('outside'), amount: '1' }, new RequestDeadline(BUDGET_MS)),
      );
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ error: { code: 'dependency_unavailable', details: { dependency } } });
      expect(r.ms).toBeLessThan(SLOW_MS);
      await sleep(SLOW_MS + 100);
      expect(await findWithdrawalByKey(db, 'alice', 'k1')).toBeUndefined();
      expect(ledger.holdState('any')).toBeUndefined();

      // The same key later, with the wallet back: one withdrawal, queued.
      wallet.delay[slow] = 0;
      const w = await requests.create('alice', 'k1', { address: fakeAddress('outside'), amount: '1' }, new RequestDeadline(10_000));
      expect(w.status).toBe('queued');
    });
  }

  it('deposit address: a slow create_address → 503 naming the wallet, and no address is assigned', async () => {
    const addresses = new DepositAddresses(db, () => wallet);
    wallet.delay.createSubaddress = SLOW_MS;
    const r = await refusal(addresses.forUser('bob', new RequestDeadline(BUDGET_MS)));
    expect([r.status, (r.body?.error.details as { dependency: string })?.dependency]).toEqual([503, 'wallet']);
    expect(r.ms).toBeLessThan(SLOW_MS);
    await sleep(SLOW_MS + 100);
    expect(await findDepositAddress(db, 'bob')).toBeUndefined();
    wallet.delay.createSubaddress = 0;
    expect((await addresses.forUser('bob', new RequestDeadline(10_000))).address).toMatch(/./);
  });
});
