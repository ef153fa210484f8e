import type { Logger } from 'pino';
import type { HotWallet } from '../chain/hot-wallet.js';
import type { Ledger } from '../clients/ledger.js';
import type { WalletMetrics } from '../shared/metrics.js';
import { nextCheckpoint, outputKey, planScan, scanStartHeight } from './domain.js';
import {
  applyScan,
  CHECKPOINT,
  depositsForScan,
  getChainHeight,
  lowestPendingDepositHeight,
  markDepositCredited,
  setChainHeight,
  subaddressOwners,
} from './deposit-store.js';
import { type Db } from '@pupero/db';

export interface ScanResult {
  chainHeight: number;
  scanFrom: number;
  seen: number;
  credited: number;
}

/**
 * One deposit scan: refresh the wallet, read incoming payments (and the pool) from the stored
 * checkpoint rewound a few blocks, store what changed, credit what reached the confirmations
 * through the ledger (idempotent by txid + output), then move the checkpoint.
 */
export class DepositScanner {
  private readonly warnedUnattributed = new Set<string>();

  constructor(
    private readonly deps: {
      wallet: () => HotWallet;
      db: Db;
      ledger: Ledger;
      logger: Logger;
      metrics?: WalletMetrics;
      requiredConfirmations: number;
      rewindBlocks: number;
    },
  ) {}

  async scan(): Promise<ScanResult> {
    const { db, ledger, logger, metrics } = this.deps;
    const wallet = this.deps.wallet();
    const chainHeight = await wallet.sync();
    metrics?.chainHeight.set(chainHeight);
    const scanFrom = scanStartHeight(await getChainHeight(db, CHECKPOINT), await lowestPendingDepositHeight(db), this.deps.rewindBlocks);
    const observed = await wallet.incoming(scanFrom);
    const owners = await subaddressOwners(db, [...new Set(observed.map((p) => p.subaddressIndex))]);
    const stored = await depositsForScan(db, scanFrom, [...new Set(observed.map((p) => p.txid))]);
    const plan = planScan({ observed, stored, owners, scanFrom, chainHeight, required: this.deps.requiredConfirmations });

    await applyScan(db, plan.upserts, plan.dropped, chainHeight);
    for (const p of plan.unattributed) {
      const key = `${p.txid}:${p.subaddressIndex}`;
      if (this.warnedUnattributed.has(key)) continue;
      this.warnedUnattributed.add(key);
      metrics?.alerts.inc({ kind: 'unattributed_deposit' });
      logger.warn({ txid: p.txid, subaddress_index: p.subaddressIndex }, 'payment to a subaddress no user owns: not credited');
    }
    for (const d of plan.vanishedCredited) {
      metrics?.alerts.inc({ kind: 'credited_deposit_reorganised' });
      logger.error({ txid: d.txid, user_id: d.userId }, 'a CREDITED deposit is no longer in the chain (deep reorg): needs an operator');
    }
    for (const d of plan.dropped) logger.info({ txid: d.txid }, 'pending deposit left the pool/chain: marked dropped');

    let credited = 0;
    for (const c of plan.credits) {
      // Ledger first (idempotent), then the row: a crash in between only repeats an idempotent call.
      const result = await ledger.creditDeposit({
        userId: c.userId,
        txid: c.txid,
        outputKey: outputKey(c.subaddressIndex),
        amount: c.amount,
      });
      if (await markDepositCredited(db, c.txid, c.subaddressIndex, result.entryId)) {
        credited++;
        metrics?.depositsCredited.inc();
        logger.info({ txid: c.txid, user_id: c.userId, amount: c.amount.toString(), entry_id: result.entryId }, 'deposit credited');
      }
    }
    await setChainHeight(db, CHECKPOINT, nextCheckpoint(chainHeight, await lowestPendingDepositHeight(db)));
    return { chainHeight, scanFrom, seen: observed.length, credited };
  }
}
