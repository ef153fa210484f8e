import type { FastifyError } from 'fastify';
import { authGuards, verifierFromConfig } from '@pupero/auth';
import { migrate } from '@pupero/db';
import { createServiceApp, type PuperoService, type ServiceDeps } from '@pupero/http';
import type { ChainProcess, DevChain } from '@pupero/monero';
import {
  assertMoneroInstalled,
  ChainNetworkMismatchError,
  connectExternalChain,
  startManagedChain,
  type ChainRuntime,
} from './chain/runtime.js';
import { HttpLedger } from './clients/ledger.js';
import { HttpTwoFactor } from './clients/login.js';
import { loadWalletConfig, type WalletConfig } from './config.js';
import type { WalletContext } from './context.js';
import { DepositAddresses } from './deposits/addresses.js';
import { registerDepositRoutes } from './deposits/routes.js';
import { DepositScanner } from './deposits/scanner.js';
import { registerDevRoutes } from './dev/routes.js';
import { migrations } from './migrations.js';
import { Reconciler } from './reconciliation/reconciler.js';
import { registerReconciliationRoutes } from './reconciliation/routes.js';
import { walletStatus } from './reconciliation/status.js';
import { processProblem } from './chain/processes.js';
import { RequestDeadline } from './shared/deadline.js';
import { chainErrorToAppError, DISABLED_MESSAGE, errorSchema, walletUnavailable } from './shared/errors.js';
import { Lease } from './shared/lease.js';
import { Loop } from './shared/loop.js';
import { WalletMetrics } from './shared/metrics.js';
import { Mutex } from './shared/mutex.js';
import { FeeRates } from './withdrawals/fees.js';
import { WithdrawalAdmin } from './withdrawals/admin.js';
import { registerWithdrawalAdminRoutes } from './withdrawals/admin-routes.js';
import { WithdrawalHolds } from './withdrawals/hold.js';
import { WithdrawalRequests } from './withdrawals/requests.js';
import { registerWithdrawalRoutes } from './withdrawals/routes.js';
import { WithdrawalWorker } from './withdrawals/worker.js';
import { syncStatus, type SyncStatus } from './sync/domain.js';
import { registerSyncRoutes } from './sync/routes.js';

export const SCHEMA = 'wallet';
export { loadWalletConfig, type WalletConfig } from './config.js';
export { WALLET_ERROR_CODES, type WalletManagerErrorCode } from './shared/errors.js';

export interface WalletManagerService extends PuperoService {
  config: WalletConfig;
  /** The managed regtest chain, once started (tests start an "outside" wallet on it). */
  devChain(): DevChain | undefined;
}

/**
 * The wallet manager: deposit subaddresses and crediting, the withdrawal queue and its worker,
 * reconciliation, and the regtest dev helpers, on a real monerod + monero-wallet-rpc.
 */
export async function createWalletManagerService(deps: ServiceDeps): Promise<WalletManagerService> {
  const config = loadWalletConfig(deps.env, deps.common.env);
  const logger = deps.logger.child({ service: 'wallet-manager' });
  if (config.mode === 'managed') assertMoneroInstalled();
  await migrate(deps.db, SCHEMA, migrations);

  let chain: ChainRuntime | undefined;
  let chainProblem = config.mode === 'disabled' ? DISABLED_MESSAGE : 'The Monero wallet is still starting; try again in a few seconds.';
  const requireChain = (): ChainRuntime => {
    if (!chain) throw walletUnavailable(chainProblem);
    return chain;
  };
  const wallet = () => requireChain().wallet;
  const requestWallet = () => requireChain().requestWallet;
  const deadline = () => new RequestDeadline(config.requestTimeoutMs);
  // Readiness names the dependency that is down: a supervised process that died says so at once.
  const processCheck = (name: ChainProcess) => {
    const problem = processProblem(requireChain().processes(), [name]);
    if (problem) throw new Error(problem);
  };
  // Shorter than the gateway's readiness probe (2.5 s), so the gateway hears which dependency is down.
  const readinessDeadline = () => new RequestDeadline(Math.min(2000, config.requestTimeoutMs));
  const readinessError = (error: unknown) => {
    const mapped = chainErrorToAppError(error);
    return mapped instanceof Error ? mapped : new Error(String(mapped));
  };

  const { app, extras } = await createServiceApp(deps, {
    name: 'wallet-manager',
    logger,
    errorSchema,
    readiness:
      config.mode === 'disabled'
        ? {}
        : {
            wallet: async () => {
              processCheck('hot-wallet-rpc');
              await readinessDeadline()
                .step('wallet', requestWallet().balance())
                .catch((e: unknown) => Promise.reject(readinessError(e)));
            },
            daemon: async () => {
              processCheck('monerod');
              await readinessDeadline()
                .step('daemon', requireChain().daemon.getInfo())
                .catch((e: unknown) => Promise.reject(readinessError(e)));
            },
          },
  });
  const metrics = new WalletMetrics(extras.metrics);
  const ledger = HttpLedger.create(() => deps.common.urls.transactions, deps.common.serviceToken);
  const twoFactor = new HttpTwoFactor(() => deps.common.urls.login, deps.common.serviceToken);
  const lease = new Lease(deps.db, 'chain-worker', config.leaseMs);
  const chainMutex = new Mutex();

  const fees = new FeeRates(config.withdrawalFee);
  const withdrawalFee = () => fees.withdrawalFee(requestWallet);

  const scanner = new DepositScanner({
    wallet,
    db: deps.db,
    ledger,
    logger,
    metrics,
    requiredConfirmations: config.depositConfirmations,
    rewindBlocks: config.rewindBlocks,
  });
  const holds = new WithdrawalHolds(deps.db, ledger);
  const worker = new WithdrawalWorker({
    wallet,
    db: deps.db,
    holds,
    ledger,
    lease,
    logger,
    metrics,
    requiredConfirmations: config.withdrawalConfirmations,
    batchMax: config.batchMax,
    feeReserve: () => fees.reserve(wallet),
    crashAfter: config.crashAfter,
    retry: config.withdrawalRetry,
  });
  const reconciler = new Reconciler({ wallet, ledger, db: deps.db, chainMutex, metrics, logger });

  // Chain work runs only on the lease holder, one task at a time.
  const asLeader = (task: () => Promise<unknown>) => async () => {
    if (!chain || !(await lease.ensure())) return;
    await chainMutex.run(task);
  };
  // get_info once per few seconds at most, however many users watch the progress bar.
  let syncCache: { value: SyncStatus; at: number } | undefined;
  const sync = async (): Promise<SyncStatus> => {
    if (!syncCache || Date.now() - syncCache.at > 3000) {
      syncCache = { value: syncStatus(config.network, await requireChain().daemon.getInfo()), at: Date.now() };
    }
    return syncCache.value;
  };
  // Nothing is sent from a wallet whose node is behind: withdrawals wait (the list says why).
  const whenSynced = (task: () => Promise<unknown>) => async () => {
    if ((await sync()).synchronized) await task();
  };

  const scanLoop = new Loop(
    'deposit scan',
    config.depositPollMs,
    asLeader(() => scanner.scan()),
    logger,
  );
  const workLoop = new Loop('withdrawal worker', config.withdrawalPollMs, asLeader(whenSynced(() => worker.run())), logger);
  const reconcileLoop = new Loop(
    'reconciliation',
    Math.max(config.reconciliationIntervalMs, 1000),
    async () => {
      if (chain && (await lease.ensure())) await reconciler.periodic();
    },
    logger,
  );
  const mineLoop = new Loop(
    'auto-mine',
    Math.max(config.autoMineMs, 1000),
    async () => {
      if (!chain?.dev) return;
      await chain.dev.mine(1);
      kick();
    },
    logger,
  );
  const kick = () => {
    scanLoop.kick();
    workLoop.kick();
  };

  const requests = new WithdrawalRequests({
    db: deps.db,
    holds,
    wallet,
    twoFactor,
    network: config.network,
    quoteFee: withdrawalFee,
    onQueued: () => workLoop.kick(),
    logger,
  });

  const ctx: WalletContext = {
    config,
    guards: authGuards(verifierFromConfig(deps.common)),
    serviceToken: deps.common.serviceToken,
    chain: requireChain,
    deadline,
    addresses: new DepositAddresses(deps.db, requestWallet),
    db: deps.db,
    requests,
    withdrawalAdmin: new WithdrawalAdmin({ db: deps.db, ledger, logger, kick: () => workLoop.kick() }),
    reconciler,
    quoteFee: withdrawalFee,
    kick,
    sync,
    status: () => walletStatus({ db: deps.db, config, chain, chainProblem, lease, worker, reconciler }),
  };

  await app.register(async (scope) => {
    // Chain trouble inside any wallet route answers 503 dependency_unavailable naming the wallet or
    // the daemon (the parent handler formats it).
    scope.setErrorHandler((error: FastifyError) => {
      throw chainErrorToAppError(error);
    });
    registerDepositRoutes(scope, ctx);
    registerWithdrawalRoutes(scope, ctx);
    registerWithdrawalAdminRoutes(scope, ctx);
    registerReconciliationRoutes(scope, ctx);
    registerDevRoutes(scope, ctx);
    registerSyncRoutes(scope, ctx);
  });

  // The managed chain's supervisor restarts a process that died: count it, make the worker
  // reconcile, and wake the loops (the wallet was reopened by the supervisor).
  const watchProcesses = (runtime: ChainRuntime) => {
    for (const name of Object.keys(runtime.processes())) metrics.chainProcessUp.set({ process: name }, 1);
    runtime.onProcessEvent((e) => {
      if (e.type === 'exited') {
        metrics.chainProcessUp.set({ process: e.process }, 0);
        // A restarted wallet-rpc or monerod may have lost what it knew: nothing new is signed until
        // the worker has reconciled its stored transactions with the chain again.
        worker.requireReconcile(`${e.process} exited`);
        logger.error({ process: e.process, code: e.code, signal: e.signal }, 'chain process exited; restarting it');
      } else if (e.type === 'restarted') {
        metrics.chainProcessUp.set({ process: e.process }, 1);
        metrics.chainProcessRestarts.inc({ process: e.process });
        logger.warn({ process: e.process, attempt: e.attempt, down_ms: e.downMs }, 'chain process restarted');
        fees.forget();
        syncCache = undefined;
        kick();
      } else {
        logger.error(
          { process: e.process, attempt: e.attempt, err: e.error },
          e.type === 'gave_up' ? 'chain process could not be restarted; giving up' : 'chain process restart failed; backing off',
        );
      }
    });
  };

  async function connect(): Promise<void> {
    if (config.mode === 'managed') {
      chain = await startManagedChain(config, deps.common.dataDir, logger);
      watchProcesses(chain);
      return;
    }
    // External: the daemon may be down right now; keep trying in the background and answer 503 meanwhile.
    for (let attempt = 1; !stopped; attempt++) {
      try {
        chain = await connectExternalChain(config, logger);
        return;
      } catch (error) {
        if (error instanceof ChainNetworkMismatchError) throw error;
        chainProblem = 'The Monero wallet is not reachable right now; try again in a moment.';
        if (attempt === 1 || attempt % 10 === 0)
          logger.warn({ err: error, attempt }, 'cannot reach the Monero daemon / wallet-rpc yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
  }

  let stopped = false;
  let connecting: Promise<void> | undefined;
  const startLoops = () => {
    scanLoop.start();
    workLoop.start();
    if (config.reconciliationIntervalMs > 0) reconcileLoop.start();
    if (config.autoMineMs > 0 && chain?.dev) mineLoop.start();
  };

  return {
    name: 'wallet-manager',
    app,
    config,
    devChain: () => chain?.devChain,
    async start() {
      if (config.mode === 'disabled') {
        logger.info('Monero is disabled (MONERO_MODE=disabled): wallet endpoints answer 503 wallet_unavailable');
        return;
      }
      if (config.mode === 'managed') {
        await connect(); // a failure here fails start-up with the reason
        startLoops();
        return;
      }
      connecting = connect().then(() => {
        if (!stopped) startLoops();
      });
      connecting.catch((error) => {
        chainProblem = `The wallet manager cannot use the configured Monero chain: ${(error as Error).message}`;
        logger.error({ err: error }, chainProblem);
      });
    },
    async stop() {
      stopped = true;
      await Promise.all([mineLoop.stop(), scanLoop.stop(), workLoop.stop(), reconcileLoop.stop()]);
      await connecting?.catch(() => undefined);
      await lease.release().catch(() => undefined);
      await chain?.stop();
      chain = undefined;
    },
  };
}
