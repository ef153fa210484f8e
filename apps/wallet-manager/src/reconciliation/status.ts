import type { Queryable } from '@pupero/db';
import type { ChainRuntime } from '../chain/runtime.js';
import { processProblem } from '../chain/processes.js';
import type { WalletConfig } from '../config.js';
import { CHECKPOINT, getChainHeight, WALLET_HEIGHT } from '../deposits/deposit-store.js';
import type { Lease } from '../shared/lease.js';
import { countWithdrawalsByStatus, openBatches } from '../withdrawals/withdrawal-store.js';
import type { WithdrawalWorker } from '../withdrawals/worker.js';
import type { Reconciler } from './reconciler.js';

/** The operators' status page (GET /wallet/status): the chain, the scan, the worker and its lease. */
export async function walletStatus(s: {
  db: Queryable;
  config: WalletConfig;
  chain: ChainRuntime | undefined;
  chainProblem: string;
  lease: Lease;
  worker: WithdrawalWorker;
  reconciler: Reconciler;
}): Promise<Record<string, unknown>> {
  const { db, chain, lease, reconciler } = s;
  const holder = await lease.current();
  return {
    mode: s.config.mode,
    network: s.config.network,
    chain: chain?.summary ?? null,
    chain_problem: chain ? processProblem(chain.processes()) : s.chainProblem,
    chain_processes: chain ? chain.processes() : {},
    wallet_height: await getChainHeight(db, WALLET_HEIGHT),
    deposit_checkpoint: await getChainHeight(db, CHECKPOINT),
    worker_lease: holder && { holder: holder.holder, expires_at: holder.expiresAt.toISOString() },
    this_process: lease.holder,
    // false after a restart (or an unreachable wallet/daemon) until the worker reconciled with the chain: nothing new is signed
    worker_reconciled: s.worker.isReconciled,
    withdrawals: await countWithdrawalsByStatus(db),
    open_transactions: (await openBatches(db)).map((b) => ({
      id: b.id,
      tx_hash: b.txHash,
      status: b.status,
      confirmations: b.confirmations,
    })),
    last_reconciliation: reconciler.last ? { ok: reconciler.last.ok, checked_at: reconciler.last.checkedAt.toISOString() } : null,
  };
}
