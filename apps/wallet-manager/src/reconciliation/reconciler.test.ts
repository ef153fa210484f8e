import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { Db } from '@pupero/db';
import { FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { DepositAddresses } from '../deposits/addresses.js';
import { DepositScanner } from '../deposits/scanner.js';
import { Mutex } from '../shared/mutex.js';
import { WalletMetrics } from '../shared/metrics.js';
import { FakeLedger } from '../testing/fake-ledger.js';
import { silentLogger, useWalletTestDb } from '../testing/fixtures.js';
import { Reconciler } from './reconciler.js';

describe('reconciler (fake chain, real database)', () => {
  let db: Db;
  useWalletTestDb((d) => (db = d));

  it('explains an uncredited deposit, and logs an error + sets the gauge to 0 when the wallet is short', async () => {
    const wallet = new FakeHotWallet();
    const ledger = new FakeLedger();
    const registry = new Registry();
    const metrics = new WalletMetrics(registry);
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _e, done) => (lines.push(chunk.toString()), done()) }));
    const reconciler = new Reconciler({
      wallet: () => wallet,
      ledger,
      db,
      chainMutex: new Mutex(),
      metrics,
      logger,
    });
    const scanner = new DepositScanner({
      wallet: () => wallet,
      db,
      ledger,
      logger: silentLogger,
      requiredConfirmations: 10,
      rewindBlocks: 5,
    });

    const sub = await new DepositAddresses(db, () => wallet).forUser('alice');
    wallet.deposit(sub.subaddressIndex, 500n);
    wallet.mine(3);
    await scanner.scan(); // in the wallet, not yet credited
    expect(await reconciler.check()).toMatchObject({
      walletBalance: 500n,
      pendingDeposits: 500n,
      ledgerLiabilities: 0n,
      difference: 0n,
      ok: true,
    });

    ledger.fund('bob', 1n); // the ledger owes more than the wallet holds
    await reconciler.periodic();
    expect(reconciler.last).toMatchObject({ difference: -1n, ok: false });
    expect(lines.join('')).toMatch(/"level":50.*RECONCILIATION FAILED/);
    expect(await registry.getSingleMetricAsString('pupero_wallet_reconciliation_ok')).toMatch(/ 0$/m);
    expect(await registry.getSingleMetricAsString('pupero_wallet_reconciliation_failures_total')).toMatch(/ 1$/m);
  });
});
