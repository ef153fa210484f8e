import type { Logger } from 'pino';
import { formatXmr } from '@pupero/money';
import type { HotWallet } from '../chain/hot-wallet.js';
import type { Ledger } from '../clients/ledger.js';
import { pendingMinedDepositTotal } from '../deposits/deposit-store.js';
import type { Mutex } from '../shared/mutex.js';
import type { WalletMetrics } from '../shared/metrics.js';
import { inflightWithdrawalTotal } from '../withdrawals/withdrawal-store.js';
import { reconcile, type Reconciliation } from './domain.js';
import { type Queryable } from '@pupero/db';

export interface ReconciliationReport extends Reconciliation {
  checkedAt: Date;
}

/**
 * Gathers the numbers for reconciliation. It runs under the same mutex as the deposit scanner
 * and the withdrawal worker, so no credit or broadcast happens between reading the wallet, our
 * tables and the ledger.
 */
export class Reconciler {
  last?: ReconciliationReport;

  constructor(
    private readonly deps: {
      wallet: () => HotWallet;
      ledger: Ledger;
      db: Queryable;
      chainMutex: Mutex;
      metrics?: WalletMetrics;
      logger: Logger;
    },
  ) {}

  async check(): Promise<ReconciliationReport> {
    const report = await this.deps.chainMutex.run(async () => {
      const wallet = this.deps.wallet();
      await wallet.sync();
      const balance = await wallet.balance();
      const [pendingDeposits, inflightWithdrawals, liabilities] = await Promise.all([
        pendingMinedDepositTotal(this.deps.db),
        inflightWithdrawalTotal(this.deps.db),
        this.deps.ledger.liabilities(),
      ]);
      const result = reconcile({
        ledgerLiabilities: liabilities.total,
        walletBalance: balance.balance,
        walletUnlocked: balance.unlocked,
        pendingDeposits,
        inflightWithdrawals,
      });
      return { ...result, checkedAt: new Date() };
    });
    this.last = report;
    this.deps.metrics?.reconciliationOk.set(report.ok ? 1 : 0);
    this.deps.metrics?.reconciliationDifference.set(Number(formatXmr(report.difference)));
    return report;
  }

  /** The periodic check: quiet when ok, an error log line (and the gauge at 0) when not. */
  async periodic(): Promise<void> {
    const r = await this.check();
    const numbers = {
      ledger_liabilities: formatXmr(r.ledgerLiabilities),
      wallet_balance: formatXmr(r.walletBalance),
      pending_deposits: formatXmr(r.pendingDeposits),
      inflight_withdrawals: formatXmr(r.inflightWithdrawals),
      difference: formatXmr(r.difference),
    };
    if (r.ok) this.deps.logger.debug(numbers, 'reconciliation ok');
    else {
      this.deps.metrics?.reconciliationFailures.inc();
      this.deps.logger.error(numbers, 'RECONCILIATION FAILED: the hot wallet holds less than the ledger owes users');
    }
  }
}
