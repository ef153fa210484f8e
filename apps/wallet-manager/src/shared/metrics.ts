import { Counter, Gauge, type Registry } from 'prom-client';

/** The wallet manager's Prometheus metrics, on the service's own registry. */
export class WalletMetrics {
  readonly depositsCredited: Counter;
  readonly withdrawalsByStatus: Gauge;
  readonly withdrawalTransitions: Counter;
  readonly withdrawalsStuck: Gauge;
  readonly oldestQueuedSeconds: Gauge;
  readonly oldestSignedSeconds: Gauge;
  readonly reconciliationOk: Gauge;
  readonly reconciliationDifference: Gauge;
  readonly reconciliationFailures: Counter;
  readonly chainHeight: Gauge;
  readonly alerts: Counter;
  readonly chainProcessRestarts: Counter;
  readonly chainProcessUp: Gauge;

  // One `new Counter/Gauge` per metric, alike by design: each keeps its own field type, name and help text where it is read.
  constructor(registry: Registry) {
    const registers = [registry];
    this.depositsCredited = new Counter({
      name: 'pupero_wallet_deposits_credited_total',
      help: 'Deposits credited to the ledger',
      registers,
    });
    this.withdrawalsByStatus = new Gauge({
      name: 'pupero_wallet_withdrawals',
      help: 'Withdrawals by status (updated by the worker)',
      labelNames: ['status'],
      registers,
    });
    this.withdrawalTransitions = new Counter({
      name: 'pupero_wallet_withdrawal_transitions_total',
      help: 'Withdrawal status changes made by this process',
      labelNames: ['status'],
      registers,
    });
    this.withdrawalsStuck = new Gauge({
      name: 'pupero_wallet_withdrawals_stuck',
      help: 'Withdrawals that need attention: failed attempts, refused relays, being invalidated, or waiting longer than WITHDRAWAL_STUCK_AFTER_SECONDS',
      registers,
    });
    this.oldestQueuedSeconds = new Gauge({
      name: 'pupero_wallet_withdrawal_oldest_queued_seconds',
      help: 'Age of the oldest queued withdrawal (0 when none)',
      registers,
    });
    this.oldestSignedSeconds = new Gauge({
      name: 'pupero_wallet_withdrawal_oldest_signed_seconds',
      help: 'Age of the oldest signed (not yet broadcast) withdrawal (0 when none)',
      registers,
    });
    this.reconciliationOk = new Gauge({
      name: 'pupero_wallet_reconciliation_ok',
      help: '1 when the hot wallet covers the ledger liabilities at the last check, 0 when not, -1 before the first check',
      registers,
    });
    this.reconciliationOk.set(-1);
    // Monitoring only: an approximate float of XMR is fine here, money never passes through it.
    this.reconciliationDifference = new Gauge({
      name: 'pupero_wallet_reconciliation_difference_xmr',
      help: 'Hot wallet minus what it must hold, in XMR (platform funds; negative = shortfall)',
      registers,
    });
    this.reconciliationFailures = new Counter({
      name: 'pupero_wallet_reconciliation_failures_total',
      help: 'Periodic reconciliation checks that were not ok',
      registers,
    });
    this.chainHeight = new Gauge({ name: 'pupero_wallet_chain_height', help: 'Chain height the hot wallet has scanned', registers });
    this.alerts = new Counter({
      name: 'pupero_wallet_alerts_total',
      help: 'Conditions that need an operator (stuck transaction, deep reorg, unattributed deposit)',
      labelNames: ['kind'],
      registers,
    });
    this.chainProcessRestarts = new Counter({
      name: 'pupero_chain_process_restarts_total',
      help: 'Restarts of a managed chain process (monerod, hot-wallet-rpc, faucet-wallet-rpc) after it died',
      labelNames: ['process'],
      registers,
    });
    this.chainProcessUp = new Gauge({
      name: 'pupero_chain_process_up',
      help: '1 while the managed chain process runs, 0 while it is down (being restarted)',
      labelNames: ['process'],
      registers,
    });
  }
}
