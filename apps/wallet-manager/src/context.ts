import type { Db } from '@pupero/db';
import type { AuthGuards } from '@pupero/auth';
import type { ChainRuntime } from './chain/runtime.js';
import type { WalletConfig } from './config.js';
import type { DepositAddresses } from './deposits/addresses.js';
import type { RequestDeadline } from './shared/deadline.js';
import type { Reconciler } from './reconciliation/reconciler.js';
import type { WithdrawalAdmin } from './withdrawals/admin.js';
import type { WithdrawalRequests } from './withdrawals/requests.js';
import type { SyncStatus } from './sync/domain.js';

/** What the routes of every feature share. */
export interface WalletContext {
  config: WalletConfig;
  guards: AuthGuards;
  serviceToken: string;
  /** The running chain; throws 503 wallet_unavailable when disabled or not (yet) connected. */
  chain(): ChainRuntime;
  /** A new budget for the chain calls of one request (WALLET_RPC_REQUEST_TIMEOUT_MS). */
  deadline(): RequestDeadline;
  addresses: DepositAddresses;
  db: Db;
  requests: WithdrawalRequests;
  withdrawalAdmin: WithdrawalAdmin;
  reconciler: Reconciler;
  quoteFee(): Promise<bigint>;
  /** Wakes the deposit scanner and the withdrawal worker (e.g. after a block was mined). */
  kick(): void;
  status(): Promise<Record<string, unknown>>;
  /** The node's sync progress (cached a few seconds; 503 wallet_unavailable until connected, 503 dependency_unavailable `daemon` when it does not answer). */
  sync(): Promise<SyncStatus>;
}
