/**
 * Local chain orchestration: monerod on regtest and monero-wallet-rpc processes.
 *
 * Flags follow /work/shared/DESIGN.md §4 (measured on Debian monero 0.18.0.0):
 * - monerod: --regtest --offline --fixed-difficulty 1 --non-interactive, loopback only,
 *   --no-zmq --no-igd --disable-dns-checkpoints --check-updates disabled, SSL key/cert made
 *   once with monero-gen-ssl-cert (RPC stays reachable over plain HTTP: --rpc-ssl autodetect).
 * - wallet-rpc: no network flag on regtest, --trusted-daemon, --no-dns, --shared-ringdb-dir,
 *   daemon SSL with the same key/cert (wallet->daemon calls are 3-30x faster over SSL), and
 *   `--rpc-ssl disabled` on its own loopback port (saves ~1.9 s of RSA key generation per start).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MoneroRpcError, WalletErrorCode } from './errors.js';
import { freePort, retryOnPortClash } from '@pupero/ports';
import { findBinary, spawnManaged, waitUntilReady, type ManagedProcess } from './process.js';
import { DaemonRpc } from './daemon.js';
import type { RpcLogin } from './transport.js';
import { WalletRpc } from './wallet.js';

const execFileP = promisify(execFile);

/** Log flags monerod and monero-wallet-rpc both take: a bounded log file (two files of 20 MB at most). */
const logArgs = (logFile: string, level = 0) => [
  '--log-file',
  logFile,
  '--log-level',
  String(level),
  '--max-log-file-size',
  '20000000',
  '--max-log-files',
  '2',
];

export type Logger = (msg: string) => void;

/** Root for caches shared between runs: $PUPERO_MONERO_CACHE_DIR or the OS temp dir. */
export function defaultCacheRoot(): string {
  return process.env.PUPERO_MONERO_CACHE_DIR ?? tmpdir();
}

// ---------------------------------------------------------------------------------------------
// SSL certificate (made once, reused by every monerod / wallet-rpc)

export interface SslFiles {
  key: string;
  cert: string;
}

/**
 * Returns a key/certificate pair made with monero-gen-ssl-cert, creating it once under
 * `dir` (default <cache root>/pupero-monero-ssl). Safe to call concurrently from many processes.
 */
export async function ensureSslCert(dir = join(defaultCacheRoot(), 'pupero-monero-ssl')): Promise<SslFiles> {
  const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
  if (existsSync(files.key) && existsSync(files.cert)) return files;
  const bin = findBinary('monero-gen-ssl-cert');
  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  try {
    await execFileP(bin, ['--certificate-filename', join(tmp, 'cert.pem'), '--private-key-filename', join(tmp, 'key.pem')], {
      timeout: 60_000,
    });
    try {
      renameSync(tmp, dir); // atomic; loses the race harmlessly if another process won
    } catch {
      if (!(existsSync(files.key) && existsSync(files.cert))) throw new Error(`could not install SSL files into ${dir}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return files;
}

let versionCache: string | undefined;
/** monerod's version tag, e.g. "v0.18.0.0-unknown" (cached). */
export async function monerodVersion(binary = findBinary('monerod')): Promise<string> {
  if (versionCache) return versionCache;
  const { stdout } = await execFileP(binary, ['--version'], { timeout: 30_000 });
  versionCache = /\((v[^)]+)\)/.exec(stdout)?.[1] ?? stdout.trim().replace(/[^\w.-]+/g, '_');
  return versionCache;
}

// ---------------------------------------------------------------------------------------------
// monerod

export interface MonerodOptions {
  /** Chain data lives here (regtest puts the chain in <dataDir>/fake). */
  dataDir: string;
  /**
   * Default regtest (a private offline chain, difficulty 1). testnet / stagenet: a real node that
   * syncs from the network's peers (pruned), for the managed mode off regtest.
   */
  network?: 'regtest' | 'testnet' | 'stagenet';
  /** monerod.log and monerod.out.log go here (default dataDir). */
  logDir?: string;
  /** RPC port; a free one is picked if omitted. */
  rpcPort?: number;
  p2pPort?: number;
  /** Keep an existing chain (persistent dev stack). Default false: regtest wipes the chain at start. */
  keepFakechain?: boolean;
  /** RPC SSL with a cached monero-gen-ssl-cert pair (default true). */
  ssl?: boolean;
  sslDir?: string;
  fixedDifficulty?: number;
  /** monerod --log-level (default 0). */
  logLevel?: number;
  extraArgs?: string[];
  readyTimeoutMs?: number;
  log?: Logger;
}

/** What startMonerod and startWalletRpc both hand back: a running process and where it answers. */
interface ProcessHandle {
  /** http://127.0.0.1:<port> */
  url: string;
  rpcPort: number;
  /** The process's own log; stdout/stderr go to <name>.out.log next to it. */
  logFile: string;
  process: ManagedProcess['process'];
  pid: number;
  /** Milliseconds from spawn to the first successful RPC. */
  readyMs: number;
  isRunning(): boolean;
  stop(): Promise<void>;
}

const loopbackUrl = (port: number) => `http://127.0.0.1:${port}`;

/** Waits until `probe` answers, then hands back the process; a process that never gets ready is stopped. */
async function whenReady(
  proc: ManagedProcess,
  label: string,
  rpcPort: number,
  logFile: string,
  probe: () => Promise<unknown>,
  o: { readyTimeoutMs?: number; log?: Logger },
): Promise<ProcessHandle> {
  const url = loopbackUrl(rpcPort);
  try {
    const readyMs = await waitUntilReady(proc, `${label} at ${url}`, probe, {
      port: rpcPort,
      timeoutMs: o.readyTimeoutMs ?? 60_000,
      log: o.log,
    });
    return { url, rpcPort, logFile, process: proc.process, pid: proc.pid, readyMs, isRunning: proc.isRunning, stop: () => proc.stop() };
  } catch (e) {
    await proc.stop(2_000);
    throw e;
  }
}

export interface MonerodHandle extends ProcessHandle {
  p2pPort: number;
  dataDir: string;
  rpc: DaemonRpc;
  /** SIGTERM (clean LMDB shutdown), SIGKILL after 20 s. */
  stop(): Promise<void>;
}

export async function startMonerod(o: MonerodOptions): Promise<MonerodHandle> {
  const binary = findBinary('monerod');
  const dataDir = resolve(o.dataDir);
  const logDir = resolve(o.logDir ?? dataDir);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const ssl = o.ssl === false ? undefined : await ensureSslCert(o.sslDir);
  // A picked port can be taken between probing and binding: start again on new ports.
  return retryOnPortClash(
    async () => {
      const rpcPort = o.rpcPort ?? (await freePort());
      const p2pPort = o.p2pPort ?? (await freePort());
      const logFile = join(logDir, 'monerod.log');
      const network = o.network ?? 'regtest';
      const args = [
        ...(network === 'regtest'
          ? ['--regtest', '--offline', '--fixed-difficulty', String(o.fixedDifficulty ?? 1)]
          : [`--${network}`, '--prune-blockchain']),
        '--non-interactive',
        '--data-dir',
        dataDir,
        '--rpc-bind-ip',
        '127.0.0.1',
        '--rpc-bind-port',
        String(rpcPort),
        // A syncing node takes peers' connections on every address; a private regtest chain on none.
        '--p2p-bind-ip',
        network === 'regtest' ? '127.0.0.1' : '0.0.0.0',
        '--p2p-bind-port',
        String(p2pPort),
        '--no-zmq',
        '--no-igd',
        '--disable-dns-checkpoints',
        '--check-updates',
        'disabled',
        ...logArgs(logFile, o.logLevel),
        ...(ssl ? ['--rpc-ssl-private-key', ssl.key, '--rpc-ssl-certificate', ssl.cert] : []),
        ...(o.keepFakechain && network === 'regtest' ? ['--keep-fakechain'] : []),
        ...(o.extraArgs ?? []),
      ];
      const proc = await spawnManaged({
        label: 'monerod',
        binary,
        args,
        outputFile: join(logDir, 'monerod.out.log'),
        logFile,
        stopTimeoutMs: 20_000,
      });
      const probe = new DaemonRpc({ url: loopbackUrl(rpcPort), retries: 0, timeoutMs: 10_000 });
      const ready = await whenReady(proc, 'monerod', rpcPort, logFile, () => probe.getHeight(), o);
      return { ...ready, p2pPort, dataDir, rpc: new DaemonRpc({ url: ready.url }) };
    },
    { picked: o.rpcPort === undefined },
  );
}

// ---------------------------------------------------------------------------------------------
// monero-wallet-rpc

export type MoneroNetwork = 'regtest' | 'testnet' | 'stagenet' | 'mainnet';

export interface WalletRpcOptions {
  /** monerod RPC URL (http://host:port) or a handle from startMonerod. */
  daemon: string | { url: string };
  /** --wallet-dir: wallets are created/opened here by name. */
  walletDir: string;
  /** Short name used in log file names and messages, e.g. "hot" or "faucet". */
  name?: string;
  rpcPort?: number;
  /** Digest login for this wallet-rpc; without it --disable-rpc-login (loopback only). */
  login?: RpcLogin;
  /** Shared ring database (default <walletDir>/ringdb). */
  ringDbDir?: string;
  /** Log directory (default walletDir). */
  logDir?: string;
  /** Regtest and mainnet take no flag; testnet/stagenet add --testnet/--stagenet. */
  network?: MoneroNetwork;
  /** Connect to the daemon with the cached SSL key/cert (default true; must match monerod). */
  ssl?: boolean;
  sslDir?: string;
  trustedDaemon?: boolean;
  logLevel?: number;
  extraArgs?: string[];
  readyTimeoutMs?: number;
  log?: Logger;
}

// Same shape as MonerodHandle (and startWalletRpc as startMonerod): two programs with their own options and clients, kept apart.
export interface WalletRpcHandle extends ProcessHandle {
  name: string;
  walletDir: string;
  /** Client for this process (with the login, if any). */
  rpc: WalletRpc;
  /** SIGTERM (the open wallet is saved), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

export async function startWalletRpc(o: WalletRpcOptions): Promise<WalletRpcHandle> {
  const binary = findBinary('monero-wallet-rpc');
  const walletDir = resolve(o.walletDir);
  const logDir = resolve(o.logDir ?? walletDir);
  const ringDbDir = resolve(o.ringDbDir ?? join(walletDir, 'ringdb'));
  mkdirSync(walletDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  mkdirSync(ringDbDir, { recursive: true });
  const name = o.name ?? 'wallet';
  const daemonUrl = new URL(typeof o.daemon === 'string' ? o.daemon : o.daemon.url);
  const daemonAddress = `${daemonUrl.hostname}:${daemonUrl.port || (daemonUrl.protocol === 'https:' ? 443 : 80)}`;
  const ssl = o.ssl === false ? undefined : await ensureSslCert(o.sslDir);
  const network = o.network ?? 'regtest';
  return retryOnPortClash(
    async () => {
      const rpcPort = o.rpcPort ?? (await freePort());
      const logFile = join(logDir, `wallet-rpc-${name}.log`);
      const args = [
        '--daemon-address',
        daemonAddress,
        o.trustedDaemon === false ? '--untrusted-daemon' : '--trusted-daemon',
        '--rpc-bind-ip',
        '127.0.0.1',
        '--rpc-bind-port',
        String(rpcPort),
        ...(o.login ? ['--rpc-login', `${o.login.username}:${o.login.password}`] : ['--disable-rpc-login']),
        '--rpc-ssl',
        'disabled',
        '--wallet-dir',
        walletDir,
        '--shared-ringdb-dir',
        ringDbDir,
        '--no-dns',
        '--non-interactive',
        ...logArgs(logFile, o.logLevel),
        ...(ssl ? ['--daemon-ssl-private-key', ssl.key, '--daemon-ssl-certificate', ssl.cert] : ['--daemon-ssl', 'disabled']),
        ...(network === 'testnet' ? ['--testnet'] : network === 'stagenet' ? ['--stagenet'] : []),
        ...(o.extraArgs ?? []),
      ];
      const proc = await spawnManaged({
        label: `wallet-rpc(${name})`,
        binary,
        args,
        outputFile: join(logDir, `wallet-rpc-${name}.out.log`),
        logFile,
        stopTimeoutMs: 15_000,
      });
      const probe = new WalletRpc({ url: loopbackUrl(rpcPort), login: o.login, retries: 0, timeoutMs: 10_000 });
      const ready = await whenReady(proc, `wallet-rpc(${name})`, rpcPort, logFile, () => probe.getVersion(), o);
      return { ...ready, name, walletDir, rpc: new WalletRpc({ url: ready.url, login: o.login }) };
    },
    { picked: o.rpcPort === undefined },
  );
}

// ---------------------------------------------------------------------------------------------
// Wallets and mining

/**
 * Opens wallet `name` in the wallet-rpc's --wallet-dir, creating it if it does not exist.
 * (wallet-rpc answers "Failed to open wallet" (-1) both for a missing file and a wrong password;
 * a create that then finds the file tells them apart.)
 */
export async function ensureWallet(wallet: WalletRpc, name: string, password = ''): Promise<{ created: boolean; address: string }> {
  let created = false;
  try {
    await wallet.openWallet({ filename: name, password });
  } catch (openErr) {
    if (!(openErr instanceof MoneroRpcError) || openErr.kind !== 'rpc') throw openErr;
    try {
      await wallet.createWallet({ filename: name, password });
      created = true;
    } catch (createErr) {
      if (createErr instanceof MoneroRpcError && createErr.code === WalletErrorCode.WALLET_ALREADY_EXISTS) {
        throw new MoneroRpcError({
          kind: 'rpc',
          service: 'wallet-rpc',
          url: wallet.url,
          method: 'open_wallet',
          code: openErr.code,
          rpcMessage: `wallet "${name}" exists but could not be opened (wrong password? ${openErr.rpcMessage})`,
          cause: openErr,
        });
      }
      throw createErr;
    }
  }
  const { address } = await wallet.getAddress();
  return { created, address };
}

/**
 * Mines `blocks` blocks to `address` (a primary address: monerod cannot mine to a subaddress),
 * in chunks so no single call runs long. Returns the new chain height (= getHeight()).
 */
export async function mineTo(
  daemon: DaemonRpc,
  address: string,
  blocks: number,
  o: { chunk?: number; log?: Logger } = {},
): Promise<number> {
  const chunk = o.chunk ?? 50;
  let chainHeight = -1;
  let done = 0;
  while (done < blocks) {
    const n = Math.min(chunk, blocks - done);
    // generateblocks reports the last block's height; the chain height is one more.
    chainHeight = (await daemon.generateBlocks(address, n)).height + 1;
    done += n;
    if (blocks > chunk) o.log?.(`mined ${done}/${blocks} blocks (chain height ${chainHeight})`);
  }
  return chainHeight === -1 ? daemon.getHeight() : chainHeight;
}
