/**
 * DevChain: a ready-to-use local regtest chain for tests and the dev stack.
 *
 *   monerod (regtest)  <-  wallet-rpc "hot"     (the platform's hot wallet, starts empty)
 *                      <-  wallet-rpc "faucet"  (receives all mined coinbase; pays faucet())
 *
 * The faucet is a different wallet from the hot wallet on purpose: a transfer from a wallet to
 * its own subaddress is not listed under get_transfers `in`, so deposits it made would never be
 * seen by the deposit scanner.
 *
 * Start-up is made fast with a cached funded snapshot (<cache root>/pupero-monero-snapshot-
 * <monerod version>-v<layout>): a chain with FUNDING_BLOCKS blocks mined to the faucet plus the
 * faucet and hot wallets (~1.5 MB). It is built once per machine (~15 s) and copied into each
 * new DevChain's data directory, which then starts monerod with --keep-fakechain.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MoneroRpcError } from './errors.js';
import { freePort, retryOnPortClash } from '@pupero/ports';
import { ProcessSupervisor, type ProcessEvent, type ProcessState, type SupervisorOptions } from './supervisor.js';
import {
  defaultCacheRoot,
  ensureSslCert,
  ensureWallet,
  mineTo,
  monerodVersion,
  startMonerod,
  startWalletRpc,
  type Logger,
  type MonerodHandle,
  type WalletRpcHandle,
} from './regtest.js';
import type { DaemonRpc } from './daemon.js';
import type { RpcLogin } from './transport.js';
import type { WalletRpc } from './wallet.js';
import type { TransferResult } from './wallet-types.js';

/**
 * The faucet could not start its transfer by the caller's `payBy` time (still mining funds, or
 * queued behind another call): nothing was sent; a later call finds the funds mined so far.
 */
export class FaucetBusyError extends Error {
  constructor() {
    super('the faucet is still mining the funds it needs; nothing was sent');
    this.name = 'FaucetBusyError';
  }
}

/**
 * Coinbase outputs unlock after 60 blocks; mining 120 leaves ~60 spendable outputs of ~35 XMR. With
 * only ~20 (80 blocks), wallet-rpc 0.18 sometimes spun at full CPU picking the decoys of a first
 * two-input transfer until the call timed out (the wallet-outage fault test's 40 XMR setup, twice).
 */
export const FUNDING_BLOCKS = 120;
/** Received (non-coinbase) outputs are spendable after this many blocks. */
export const UNLOCK_BLOCKS = 10;
export const COINBASE_UNLOCK_BLOCKS = 60;
/** Bump when the snapshot's content or layout changes. */
const SNAPSHOT_LAYOUT = 2;
const FAUCET_WALLET = { name: 'faucet', password: '' };
const SNAPSHOT_HOT_WALLET = { name: 'hot', password: '' };
/** Margin kept above a faucet amount for the fee. */
const FEE_MARGIN = 100_000_000_000n; // 0.1 XMR

export interface DevChainOptions {
  /**
   * Where the chain, wallets and logs live (subfolders chain/, wallets/, logs/).
   * Default: a new temporary directory, deleted by stop().
   */
  dataDir?: string;
  /**
   * Keep chain and wallets across restarts (monerod --keep-fakechain): the persistent dev stack.
   * Default false: every start is a fresh chain + fresh wallets (anything in dataDir/chain and
   * dataDir/wallets is replaced).
   */
  persistent?: boolean;
  /** Seed new chains from the cached funded snapshot (default true; building it the first time). */
  useSnapshot?: boolean;
  /** Root for the SSL pair and the snapshot (default $PUPERO_MONERO_CACHE_DIR or the OS temp dir). */
  cacheRoot?: string;
  /** The hot wallet's file name and password (default "hot", ""). */
  hotWallet?: { name?: string; password?: string };
  /** Fixed ports (default: free ports). */
  ports?: { monerod?: number; hotWalletRpc?: number; faucetWalletRpc?: number };
  /** Digest login for the hot wallet-rpc (default none: --disable-rpc-login on loopback). */
  hotWalletLogin?: RpcLogin;
  /** Progress messages (default: silent). */
  log?: Logger;
  /** Keep a temporary dataDir after stop() (for debugging). */
  keepDataDir?: boolean;
  /**
   * Restart monerod / a wallet-rpc that exits unasked (same ports and data; wallets reopened),
   * with this backoff. Default on; `false` leaves a dead process dead.
   */
  supervise?: SupervisorOptions | false;
}

export interface DevChainTimings {
  /** Building the snapshot (only when it was missing). */
  snapshotBuildMs?: number;
  copyMs?: number;
  /** Processes up (monerod and both wallet-rpcs, in parallel). */
  processesMs: number;
  /** open/create both wallets + first refresh. */
  walletsMs: number;
  /** Mining for a chain started without snapshot. */
  miningMs?: number;
  totalMs: number;
}

export interface FaucetResult {
  tx_hash: string;
  amount: bigint;
  fee: bigint;
  /** Chain height after the confirmations were mined. */
  height: number;
}

interface SnapshotInfo {
  version: string;
  layout: number;
  height: number;
  faucetAddress: string;
  hotAddress: string;
  builtAt: string;
  buildMs: number;
}

/** The supervised processes, as named in events, states and metrics. */
export const CHAIN_PROCESSES = ['monerod', 'hot-wallet-rpc', 'faucet-wallet-rpc'] as const;
export type ChainProcess = (typeof CHAIN_PROCESSES)[number];

export class DevChain {
  private readonly extra: WalletRpcHandle[] = [];
  private faucetQueue: Promise<unknown> = Promise.resolve();
  // monerod's generateblocks calls must not overlap: concurrent ones build on the same template,
  // so several report the same height and blocks are lost (and each call then takes seconds).
  private mineQueue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private supervisor: ProcessSupervisor | undefined;

  private constructor(
    readonly dataDir: string,
    public monerod: MonerodHandle,
    public hotRpc: WalletRpcHandle,
    public faucetRpc: WalletRpcHandle,
    readonly faucetAddress: string,
    readonly hotAddress: string,
    readonly timings: DevChainTimings,
    private readonly ownsDataDir: boolean,
    private readonly keepDataDir: boolean,
    private readonly log: Logger | undefined,
    private readonly sslDir: string,
  ) {}

  /** monerod client. */
  get daemon(): DaemonRpc {
    return this.monerod.rpc;
  }
  /** Hot wallet client (the wallet is open). */
  get hot(): WalletRpc {
    return this.hotRpc.rpc;
  }
  /** Faucet wallet client (the wallet is open). Also handy as an "outside user" that withdraws go to. */
  get faucetWallet(): WalletRpc {
    return this.faucetRpc.rpc;
  }

  static async start(o: DevChainOptions = {}): Promise<DevChain> {
    const t0 = Date.now();
    const log = o.log;
    if (o.persistent && !o.dataDir) throw new Error('DevChain: persistent: true needs a dataDir');
    const ownsDataDir = !o.dataDir;
    const dataDir = resolve(o.dataDir ?? mkdtempSync(join(tmpdir(), 'pupero-devchain-')));
    const cacheRoot = o.cacheRoot ?? defaultCacheRoot();
    const sslDir = join(cacheRoot, 'pupero-monero-ssl');
    const hotSpec = {
      name: o.hotWallet?.name ?? SNAPSHOT_HOT_WALLET.name,
      password: o.hotWallet?.password ?? SNAPSHOT_HOT_WALLET.password,
    };
    const chainDir = join(dataDir, 'chain');
    const walletDir = join(dataDir, 'wallets');
    const logDir = join(dataDir, 'logs');
    const timings: Partial<DevChainTimings> = {};

    const hasChain = existsSync(join(chainDir, 'fake', 'lmdb', 'data.mdb'));
    const reuse = o.persistent === true && hasChain;
    let seeded = false;
    if (!reuse) {
      rmSync(chainDir, { recursive: true, force: true });
      rmSync(walletDir, { recursive: true, force: true });
      if (o.useSnapshot !== false) {
        const snap = await ensureSnapshot({ cacheRoot, sslDir, log, timings });
        const tc = Date.now();
        cpSync(join(snap, 'chain'), chainDir, { recursive: true });
        cpSync(join(snap, 'wallets'), walletDir, { recursive: true });
        if (hotSpec.name !== SNAPSHOT_HOT_WALLET.name || hotSpec.password !== SNAPSHOT_HOT_WALLET.password) {
          for (const f of [SNAPSHOT_HOT_WALLET.name, `${SNAPSHOT_HOT_WALLET.name}.keys`]) rmSync(join(walletDir, f), { force: true });
        }
        timings.copyMs = Date.now() - tc;
        seeded = true;
      }
    }
    mkdirSync(logDir, { recursive: true });

    const started: Array<{ stop(): Promise<void> }> = [];
    try {
      const tp = Date.now();
      // The monerod port is picked before the wallets start (they need it). If another process
      // grabs it first, monerod cannot bind: start the three again on new ports.
      let round: Array<{ stop(): Promise<void> }> = [];
      const [monerod, hotRpc, faucetRpc] = await retryOnPortClash(
        async () => {
          const daemonPort = o.ports?.monerod ?? (await freePort());
          const daemonUrl = `http://127.0.0.1:${daemonPort}`;
          round = [];
          const track = <T extends { stop(): Promise<void> }>(p: Promise<T>) =>
            p.then((h) => {
              round.push(h);
              started.push(h);
              return h;
            });
          const results = await Promise.allSettled([
            track(startMonerod({ dataDir: chainDir, logDir, rpcPort: daemonPort, keepFakechain: reuse || seeded, sslDir, log })),
            track(
              startWalletRpc({
                daemon: daemonUrl,
                walletDir,
                logDir,
                name: 'hot',
                rpcPort: o.ports?.hotWalletRpc,
                login: o.hotWalletLogin,
                sslDir,
                log,
              }),
            ),
            track(startWalletRpc({ daemon: daemonUrl, walletDir, logDir, name: 'faucet', rpcPort: o.ports?.faucetWalletRpc, sslDir, log })),
          ]);
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
          return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [MonerodHandle, WalletRpcHandle, WalletRpcHandle];
        },
        {
          picked: o.ports?.monerod === undefined,
          onRetry: async (error) => {
            log?.(`port clash, starting again: ${(error as Error).message.split('\n')[0]}`);
            await Promise.allSettled(round.map((h) => h.stop()));
          },
        },
      );
      timings.processesMs = Date.now() - tp;

      const tw = Date.now();
      const [faucetW, hotW] = await Promise.all([
        ensureWallet(faucetRpc.rpc, FAUCET_WALLET.name, FAUCET_WALLET.password),
        ensureWallet(hotRpc.rpc, hotSpec.name, hotSpec.password),
      ]);
      log?.(`wallets open: faucet ${faucetW.created ? 'created' : 'opened'}, ${hotSpec.name} ${hotW.created ? 'created' : 'opened'}`);
      if (!reuse && !seeded) {
        const tm = Date.now();
        await mineTo(monerod.rpc, faucetW.address, FUNDING_BLOCKS, { log, chunk: 20 });
        timings.miningMs = Date.now() - tm;
      }
      await Promise.all([faucetRpc.rpc.refresh(), hotRpc.rpc.refresh()]);
      timings.walletsMs = Date.now() - tw - (timings.miningMs ?? 0);
      timings.totalMs = Date.now() - t0;

      const chain = new DevChain(
        dataDir,
        monerod,
        hotRpc,
        faucetRpc,
        faucetW.address,
        hotW.address,
        timings as DevChainTimings,
        ownsDataDir,
        o.keepDataDir ?? false,
        log,
        sslDir,
      );
      if (o.supervise !== false) {
        chain.supervise(o.supervise ?? {}, {
          monerod: async () => {
            const monerod = await startMonerod({
              dataDir: chainDir,
              logDir,
              rpcPort: chain.monerod.rpcPort,
              p2pPort: chain.monerod.p2pPort,
              keepFakechain: true,
              sslDir,
              log,
            });
            await chain.reconnectWallets(monerod);
            return monerod;
          },
          wallet: async (name, spec, login) => {
            const handle = await startWalletRpc({
              daemon: chain.monerod.url,
              walletDir,
              logDir,
              name,
              rpcPort: (name === 'hot' ? chain.hotRpc : chain.faucetRpc).rpcPort,
              login,
              sslDir,
              log,
            });
            try {
              await ensureWallet(handle.rpc, spec.name, spec.password);
            } catch (e) {
              await handle.stop();
              throw e;
            }
            return handle;
          },
          hotSpec,
          hotLogin: o.hotWalletLogin,
        });
      }
      if (o.persistent) chain.writeStateFile();
      log?.(`DevChain up in ${(timings.totalMs / 1000).toFixed(1)} s (${dataDir})`);
      return chain;
    } catch (e) {
      await Promise.allSettled(started.map((h) => h.stop()));
      if (ownsDataDir && !o.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Mines blocks (to the faucet, by default), one call at a time. Returns the new chain height. */
  mine(blocks: number, address = this.faucetAddress): Promise<number> {
    const run = this.mineQueue.then(() => mineTo(this.daemon, address, blocks, { log: this.log }));
    this.mineQueue = run.catch(() => undefined);
    return run;
  }

  /** Subscribes to the supervisor's events (exited, restarted, restart_failed, gave_up); returns the unsubscribe function. */
  onProcessEvent(listener: (e: ProcessEvent & { process: ChainProcess }) => void): () => void {
    return this.supervisor?.on(listener as (e: ProcessEvent) => void) ?? (() => undefined);
  }

  /** Up/down, pid and restart count of each process (empty when not supervised). */
  processStates(): Partial<Record<ChainProcess, ProcessState>> {
    return this.supervisor?.states() ?? {};
  }

  private supervise(
    options: SupervisorOptions,
    start: {
      monerod: () => Promise<MonerodHandle>;
      wallet: (name: string, spec: { name: string; password: string }, login?: RpcLogin) => Promise<WalletRpcHandle>;
      hotSpec: { name: string; password: string };
      hotLogin: RpcLogin | undefined;
    },
  ): void {
    const supervisor = new ProcessSupervisor({ log: this.log, ...options });
    this.supervisor = supervisor;
    supervisor.watch('monerod', this.monerod, async () => (this.monerod = await start.monerod()));
    supervisor.watch('hot-wallet-rpc', this.hotRpc, async () => (this.hotRpc = await start.wallet('hot', start.hotSpec, start.hotLogin)));
    supervisor.watch('faucet-wallet-rpc', this.faucetRpc, async () => (this.faucetRpc = await start.wallet('faucet', FAUCET_WALLET)));
    supervisor.on((e) => {
      if (e.type === 'restarted' && !this.stopped && existsSync(join(this.dataDir, 'devchain.json'))) this.writeStateFile();
    });
  }

  /**
   * After a monerod restart: every wallet-rpc drops its dead connection now (set_daemon) instead
   * of at its own next reconnection attempt, before the supervisor reports "restarted".
   */
  private async reconnectWallets(monerod: MonerodHandle): Promise<void> {
    const url = new URL(monerod.url);
    const ssl = await ensureSslCert(this.sslDir);
    const results = await Promise.allSettled(
      [this.hotRpc, this.faucetRpc, ...this.extra].map((h) => h.rpc.setDaemon({ address: `${url.hostname}:${url.port}`, ssl })),
    );
    for (const r of results) if (r.status === 'rejected') this.log?.(`set_daemon after the monerod restart failed: ${r.reason}`);
  }

  /** Refreshes hot and faucet wallets (and any extra wallets). */
  async sync(): Promise<void> {
    await Promise.all([this.hot.refresh(), this.faucetWallet.refresh(), ...this.extra.map((h) => h.rpc.refresh())]);
  }

  /**
   * Sends `amount` piconero from the faucet wallet to `address` and mines `confirmations`
   * blocks (default 1; 0 leaves the tx in the pool; UNLOCK_BLOCKS (10) makes it spendable).
   * Mines more coinbase first if the faucet lacks unlocked funds. Calls are serialised.
   */
  faucet(address: string, amount: bigint, o: { confirmations?: number; payBy?: number } = {}): Promise<FaucetResult> {
    const run = this.faucetQueue.then(() => this.faucetOnce(address, amount, o.confirmations ?? 1, o.payBy));
    this.faucetQueue = run.catch(() => undefined);
    return run;
  }

  private async faucetOnce(address: string, amount: bigint, confirmations: number, payBy?: number): Promise<FaucetResult> {
    if (typeof amount !== 'bigint' || amount <= 0n) throw new TypeError('faucet amount must be a positive bigint (piconero)');
    const w = this.faucetWallet;
    await w.refresh();
    for (let mined = 0; (await w.getBalance()).unlocked_balance < amount + FEE_MARGIN; mined += UNLOCK_BLOCKS) {
      if (mined >= 600) throw new Error(`faucet cannot fund ${amount} piconero even after mining ${mined} blocks`);
      if (payBy !== undefined && Date.now() >= payBy) throw new FaucetBusyError();
      await this.mine(UNLOCK_BLOCKS);
      await w.refresh();
    }
    // The point of no return: past it nothing is sent (the blocks mined so far stay for the next call).
    if (payBy !== undefined && Date.now() >= payBy) throw new FaucetBusyError();
    let tx: TransferResult;
    try {
      tx = await w.transfer({ destinations: [{ address, amount }], priority: 0 });
    } catch (e) {
      if (e instanceof MoneroRpcError)
        throw new Error(`faucet transfer of ${amount} piconero to ${address} failed: ${e.message}`, { cause: e });
      throw e;
    }
    const height = confirmations > 0 ? await this.mine(confirmations) : await this.daemon.getHeight();
    return { tx_hash: tx.tx_hash, amount: tx.amount, fee: tx.fee, height };
  }

  /**
   * Starts one more wallet-rpc on this chain with wallet `name` opened (created if missing),
   * e.g. an outside user who deposits or receives withdrawals. Stopped by stop().
   */
  async startWallet(name: string, password = ''): Promise<{ handle: WalletRpcHandle; wallet: WalletRpc; address: string }> {
    const handle = await startWalletRpc({
      daemon: this.monerod,
      walletDir: join(this.dataDir, 'wallets'),
      logDir: join(this.dataDir, 'logs'),
      name,
      sslDir: this.sslDir,
      log: this.log,
    });
    this.extra.push(handle);
    const { address } = await ensureWallet(handle.rpc, name, password);
    await handle.rpc.refresh();
    return { handle, wallet: handle.rpc, address };
  }

  /** Stops every process (wallets first, so they save), then removes a temporary dataDir. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.supervisor?.stop();
    await Promise.allSettled([this.hotRpc.stop(), this.faucetRpc.stop(), ...this.extra.map((h) => h.stop())]);
    await this.monerod.stop();
    rmSync(join(this.dataDir, 'devchain.json'), { force: true });
    if (this.ownsDataDir && !this.keepDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** What is running where, written to <dataDir>/devchain.json for a persistent stack. */
  describe() {
    return {
      pid: process.pid,
      dataDir: this.dataDir,
      monerod: { url: this.monerod.url, pid: this.monerod.pid },
      hotWalletRpc: { url: this.hotRpc.url, pid: this.hotRpc.pid },
      faucetWalletRpc: { url: this.faucetRpc.url, pid: this.faucetRpc.pid },
      faucetAddress: this.faucetAddress,
      hotAddress: this.hotAddress,
    };
  }

  private writeStateFile(): void {
    writeFileSync(
      join(this.dataDir, 'devchain.json'),
      JSON.stringify({ ...this.describe(), startedAt: new Date().toISOString() }, null, 2),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshot

/** Path of the funded snapshot for the installed monerod (it may not exist yet). */
export async function snapshotPath(cacheRoot = defaultCacheRoot()): Promise<string> {
  return join(cacheRoot, `pupero-monero-snapshot-${await monerodVersion()}-v${SNAPSHOT_LAYOUT}`);
}

function readSnapshotInfo(dir: string): SnapshotInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')) as SnapshotInfo;
  } catch {
    return undefined;
  }
}

/**
 * Returns the snapshot directory, building it if needed. Concurrent builders (several test
 * workers) are serialised with a lock directory; a stale lock (> 3 min) is broken.
 */
export async function ensureSnapshot(
  o: {
    cacheRoot?: string;
    sslDir?: string;
    log?: Logger;
    timings?: Partial<DevChainTimings>;
  } = {},
): Promise<string> {
  const cacheRoot = o.cacheRoot ?? defaultCacheRoot();
  const dir = await snapshotPath(cacheRoot);
  if (readSnapshotInfo(dir)) return dir;
  mkdirSync(cacheRoot, { recursive: true });
  const lock = `${dir}.lock`;
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (readSnapshotInfo(dir)) return dir;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* lock vanished */
      }
      if (Date.now() - t0 > 240_000) throw new Error(`timed out waiting for another process to build ${dir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (readSnapshotInfo(dir)) return dir;
    rmSync(dir, { recursive: true, force: true });
    o.log?.(`building the funded regtest snapshot in ${dir} (once per machine)`);
    const build = `${dir}.build-${process.pid}`;
    rmSync(build, { recursive: true, force: true });
    await ensureSslCert(o.sslDir ?? join(cacheRoot, 'pupero-monero-ssl'));
    const chain = await DevChain.start({
      dataDir: build,
      persistent: false,
      useSnapshot: false,
      cacheRoot,
      log: o.log,
    });
    const height = await chain.daemon.getHeight();
    await Promise.all([chain.hot.store(), chain.faucetWallet.store()]);
    await chain.stop();
    rmSync(join(build, 'logs'), { recursive: true, force: true });
    rmSync(join(build, 'wallets', 'ringdb'), { recursive: true, force: true });
    for (const f of ['monerod.log', 'monerod.out.log']) rmSync(join(build, 'chain', f), { force: true });
    const buildMs = Date.now() - t0;
    const info: SnapshotInfo = {
      version: await monerodVersion(),
      layout: SNAPSHOT_LAYOUT,
      height,
      faucetAddress: chain.faucetAddress,
      hotAddress: chain.hotAddress,
      builtAt: new Date().toISOString(),
      buildMs,
    };
    writeFileSync(join(build, 'snapshot.json'), JSON.stringify(info, null, 2));
    renameSync(build, dir);
    if (o.timings) o.timings.snapshotBuildMs = buildMs;
    o.log?.(`snapshot built in ${(buildMs / 1000).toFixed(1)} s (height ${height})`);
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
