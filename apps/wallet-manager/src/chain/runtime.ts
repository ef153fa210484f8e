import { resolve, join } from 'node:path';
import type { Logger } from 'pino';
import {
  DaemonRpc,
  DevChain,
  ensureWallet,
  findBinary,
  MoneroBinaryNotFoundError,
  ProcessSupervisor,
  startMonerod,
  startWalletRpc,
  WalletRpc,
  type ChainProcess,
  type MonerodHandle,
  type ProcessEvent,
  type ProcessState,
  type RpcLogin,
  type WalletRpcHandle,
} from '@pupero/monero';
import type { WalletConfig } from '../config.js';
import { addressNetworkFor } from '../withdrawals/domain.js';
import { externalDevTools } from './external-dev.js';
import type { HotWallet } from './hot-wallet.js';
import { stopOrphanedChain } from './orphans.js';
import { RpcHotWallet } from './rpc-hot-wallet.js';

/** Dev-chain helpers (regtest, managed mode only). */
export interface DevTools {
  mine(blocks: number): Promise<number>;
  /**
   * Pays from the faucet wallet if the transfer can start before `payBy` (epoch ms), else throws
   * FaucetBusyError having sent nothing; answers once the transfer is made (the block that
   * confirms it is mined right after, without waiting), so it never outlasts the caller's budget.
   */
  faucet(address: string, amount: bigint, payBy: number): Promise<string>;
}

export interface ChainRuntime {
  /** The hot wallet for the background loops (worker, scanner, reconciliation): long per-call limits. */
  wallet: HotWallet;
  /** The same wallet for calls made while answering a request: every call limited to WALLET_RPC_REQUEST_TIMEOUT_MS, no retries. */
  requestWallet: HotWallet;
  /** The node (its sync progress), with the request-path limit. */
  daemon: DaemonRpc;
  /** Up/down and restarts of the processes Pupero runs (managed regtest only; empty otherwise). */
  processes(): Partial<Record<ChainProcess, ProcessState>>;
  /** "process exited / restarted / ..." from the supervisor of the managed chain; returns the unsubscribe function. */
  onProcessEvent(listener: (e: ProcessEvent) => void): () => void;
  dev?: DevTools;
  /** The managed regtest chain (tests use it to start an "outside" wallet on the same chain). */
  devChain?: DevChain;
  summary: Record<string, unknown>;
  stop(): Promise<void>;
}

export const INSTALL_HINT =
  'Install the Debian package with "sudo apt-get install monero" (it provides monerod and monero-wallet-rpc), ' +
  'or set MONERO_MODE=disabled to run everything else without a chain (deposits and withdrawals then answer 503 wallet_unavailable).';

/** Managed mode needs the binaries: fail at start-up with the exact fix. */
export function assertMoneroInstalled(): void {
  for (const binary of ['monerod', 'monero-wallet-rpc', 'monero-gen-ssl-cert'] as const) {
    try {
      findBinary(binary);
    } catch (error) {
      if (error instanceof MoneroBinaryNotFoundError) {
        throw new Error(`MONERO_MODE=managed needs the monero binaries, but ${error.message}. ${INSTALL_HINT}`, { cause: error });
      }
      throw error;
    }
  }
}

/**
 * Managed mode: Pupero runs a private regtest chain under DATA_DIR/monero (monerod, the hot
 * wallet's wallet-rpc and a separate faucet wallet-rpc), kept with --keep-fakechain so chain and
 * wallets always stay together. The first start copies a funded snapshot (built once per machine).
 */
export async function startManagedChain(config: WalletConfig, dataDir: string, logger: Logger): Promise<ChainRuntime> {
  if (config.network === 'testnet' || config.network === 'stagenet') return startManagedNode(config, dataDir, config.network, logger);
  const dir = resolve(join(dataDir, 'monero'));
  const log = (msg: string) => logger.info({ chain: dir }, msg);
  await stopOrphanedChain(dir, log);
  const chain = await DevChain.start({
    dataDir: dir,
    persistent: true,
    hotWallet: { name: config.hotWallet.name ?? 'hot', password: config.hotWallet.password },
    log,
  });
  logger.info({ timings: chain.timings, monerod: chain.monerod.url, hot_wallet_rpc: chain.hotRpc.url }, 'regtest chain ready');
  const request = requestClients(config, chain.hotRpc.url, chain.monerod.url);
  return {
    wallet: new RpcHotWallet(chain.hot, chain.daemon),
    ...request,
    processes: () => chain.processStates(),
    onProcessEvent: (listener) => chain.onProcessEvent(listener),
    devChain: chain,
    dev: {
      mine: (blocks) => chain.mine(blocks),
      faucet: async (address, amount, payBy) => {
        const { tx_hash } = await chain.faucet(address, amount, { confirmations: 0, payBy });
        void chain.mine(1).catch(() => undefined);
        return tx_hash;
      },
    },
    summary: { mode: 'managed', network: 'regtest', data_dir: dir, daemon_url: chain.monerod.url },
    stop: () => chain.stop(),
  };
}

/**
 * Managed mode on testnet/stagenet: Pupero runs a real node (pruned, syncing from the network's
 * peers: hours the first time) and the hot wallet's wallet-rpc under DATA_DIR/monero-<network>,
 * hot wallet created on the first start and opened after. No dev faucet: get coins from a public one.
 * Both processes are supervised as the regtest chain's are: restarted on the same ports and data.
 */
async function startManagedNode(
  config: WalletConfig,
  dataDir: string,
  network: 'testnet' | 'stagenet',
  logger: Logger,
): Promise<ChainRuntime> {
  const dir = resolve(join(dataDir, `monero-${network}`));
  const logDir = join(dir, 'logs');
  const name = config.hotWallet.name ?? 'hot';
  const startNode = (ports: { rpcPort?: number; p2pPort?: number } = {}) =>
    startMonerod({ dataDir: join(dir, 'chain'), logDir, network, ssl: false, readyTimeoutMs: 120_000, ...ports });
  const startWallet = async (daemon: MonerodHandle, rpcPort?: number) => {
    const handle = await startWalletRpc({
      daemon,
      walletDir: join(dir, 'wallets'),
      logDir,
      name: 'hot',
      network,
      ssl: false,
      readyTimeoutMs: 120_000,
      rpcPort,
    });
    try {
      return { handle, created: (await ensureWallet(handle.rpc, name, config.hotWallet.password)).created };
    } catch (error) {
      await handle.stop();
      throw error;
    }
  };
  let node = await startNode();
  let hot: WalletRpcHandle;
  try {
    const started = await startWallet(node);
    hot = started.handle;
    logger.info({ network, wallet: name, daemon: node.url }, started.created ? 'hot wallet created' : 'hot wallet opened');
  } catch (error) {
    await node.stop();
    throw error;
  }
  const supervisor = new ProcessSupervisor({ log: (msg) => logger.info({ network }, msg) });
  supervisor.watch('monerod', node, async () => {
    node = await startNode({ rpcPort: node.rpcPort, p2pPort: node.p2pPort });
    // The wallet-rpc drops its dead daemon connection now rather than at its next reconnection attempt.
    await hot.rpc
      .setDaemon({ address: `127.0.0.1:${node.rpcPort}` })
      .catch((error: Error) => logger.warn({ err: error }, 'set_daemon failed'));
    return node;
  });
  supervisor.watch('hot-wallet-rpc', hot, async () => (hot = (await startWallet(node, hot.rpcPort)).handle));
  return {
    // Restarts keep the ports, so clients made now reach the restarted processes.
    wallet: new RpcHotWallet(hot.rpc, node.rpc),
    ...requestClients(config, hot.url, node.url),
    processes: () => supervisor.states(),
    onProcessEvent: (listener) => supervisor.on(listener),
    summary: { mode: 'managed', network, data_dir: dir, daemon_url: node.url },
    stop: async () => {
      supervisor.stop();
      await hot.stop();
      await node.stop();
    },
  };
}

/** Processes Pupero does not run itself (or does not supervise): nothing to report. */
const unsupervised = { processes: () => ({}), onProcessEvent: () => () => undefined } satisfies Pick<
  ChainRuntime,
  'processes' | 'onProcessEvent'
>;

/**
 * Clients for the request path: one budget for every call (also the "slow" ones such as store),
 * no retries, so a frozen wallet-rpc or daemon costs a request at most WALLET_RPC_REQUEST_TIMEOUT_MS.
 */
function requestClients(
  config: WalletConfig,
  walletUrl: string,
  daemonUrl: string,
  login?: RpcLogin,
): Pick<ChainRuntime, 'requestWallet' | 'daemon'> {
  const limits = { timeoutMs: config.requestTimeoutMs, slowTimeoutMs: config.requestTimeoutMs, retries: 0 };
  const daemon = new DaemonRpc({ url: daemonUrl, ...limits });
  return { requestWallet: new RpcHotWallet(new WalletRpc({ url: walletUrl, login, ...limits }), daemon), daemon };
}

/** The external daemon or hot wallet is on another network than MONERO_NETWORK: a configuration error, never retried. */
export class ChainNetworkMismatchError extends Error {
  override name = 'ChainNetworkMismatchError';
}

const DAEMON_NETTYPE = { regtest: 'fakechain', testnet: 'testnet', stagenet: 'stagenet', mainnet: 'mainnet' } as const;

/**
 * External mode: monerod and the hot wallet-rpc run elsewhere (testnet/stagenet/mainnet, or a
 * regtest chain owned by someone else). Checks that both are on the configured network.
 */
export async function connectExternalChain(config: WalletConfig, logger: Logger): Promise<ChainRuntime> {
  const daemon = new DaemonRpc(config.daemonUrl!);
  const walletRpc = new WalletRpc({ url: config.walletRpcUrl!, login: config.walletRpcLogin });
  const info = await daemon.getInfo();
  if (info.nettype !== DAEMON_NETTYPE[config.network]) {
    throw new ChainNetworkMismatchError(
      `MONERO_DAEMON_URL points at a ${info.nettype} daemon, but MONERO_NETWORK=${config.network} (expects ${DAEMON_NETTYPE[config.network]})`,
    );
  }
  if (config.hotWallet.name) {
    // Created on the first start (a fresh wallet-rpc volume), opened on every start after.
    const { created } = await ensureWallet(walletRpc, config.hotWallet.name, config.hotWallet.password);
    logger.info({ wallet: config.hotWallet.name }, created ? 'hot wallet created' : 'hot wallet opened');
  }
  const { address } = await walletRpc.getAddress();
  const own = await walletRpc.validateAddress(address, { any_net_type: true });
  if (own.nettype !== addressNetworkFor(config.network)) {
    throw new ChainNetworkMismatchError(
      `the hot wallet at MONERO_WALLET_RPC_URL is a ${own.nettype} wallet, but MONERO_NETWORK=${config.network}`,
    );
  }
  if (config.network === 'mainnet') {
    logger.warn('!!! MAINNET: the wallet manager is connected to a REAL Monero wallet; withdrawals move real money !!!');
  }
  logger.info({ network: config.network, daemon_height: info.height }, 'connected to the external Monero daemon and hot wallet');
  const dev = config.faucetWalletRpcUrl
    ? await externalDevTools(daemon, new WalletRpc({ url: config.faucetWalletRpcUrl, login: config.walletRpcLogin }), 'faucet')
    : undefined;
  return {
    wallet: new RpcHotWallet(walletRpc, daemon),
    ...requestClients(config, config.walletRpcUrl!, config.daemonUrl!, config.walletRpcLogin),
    ...unsupervised,
    dev,
    summary: { mode: 'external', network: config.network, daemon_url: config.daemonUrl, wallet_rpc_url: config.walletRpcUrl },
    stop: async () => {
      // Not ours to stop. Ask the wallet-rpc to save its cache, best effort.
      await walletRpc.store().catch(() => undefined);
    },
  };
}
