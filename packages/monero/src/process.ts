/**
 * Spawning and stopping monero binaries: binary lookup, free ports, log files, readiness
 * polling, SIGTERM-then-SIGKILL shutdown, and a last-resort kill of live children on exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { ownsListeningPort } from './ownership.js';
import { delimiter, dirname, join } from 'node:path';
import { MoneroBinaryNotFoundError, MoneroProcessError } from './errors.js';

export type MoneroBinary = 'monerod' | 'monero-wallet-rpc' | 'monero-gen-ssl-cert';

const ENV_VAR: Record<MoneroBinary, string> = {
  monerod: 'MONEROD_PATH',
  'monero-wallet-rpc': 'MONERO_WALLET_RPC_PATH',
  'monero-gen-ssl-cert': 'MONERO_GEN_SSL_CERT_PATH',
};

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Absolute path of a monero binary: $MONEROD_PATH / $MONERO_WALLET_RPC_PATH /
 * $MONERO_GEN_SSL_CERT_PATH if set, else the first match on $PATH (then /usr/bin, /usr/local/bin).
 */
export function findBinary(name: MoneroBinary, env: NodeJS.ProcessEnv = process.env): string {
  const envVar = ENV_VAR[name];
  const fromEnv = env[envVar];
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new MoneroBinaryNotFoundError(`${name} (${envVar}=${fromEnv} is not an executable file)`, envVar);
  }
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'].filter(Boolean);
  for (const d of dirs) {
    const p = join(d, name);
    if (isExecutableFile(p)) return p;
  }
  throw new MoneroBinaryNotFoundError(name, envVar);
}

const handedOut = new Set<number>();

/** The low end of the kernel's ephemeral range, where everyone's "bind to port 0" picks from. */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) && low > 21_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

async function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * A currently free TCP port, never the same one twice in this process, picked at random BELOW
 * the ephemeral range: ports other code gets from "bind to port 0" come from that range, so a
 * test stack starting at the same moment does not take the port before our child binds it.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (high - 20_000));
    if (handedOut.has(port) || !(await isFree(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('could not find a free port');
}

// Children still running when this process exits get SIGTERM (wallet-rpc saves its wallet).
// If this process is killed outright, `setpriv --pdeathsig` (below) does the same.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) {
      try {
        c.kill('SIGTERM'); // they save and exit on their own
      } catch {
        /* already gone */
      }
    }
  });
}

export interface ManagedProcess {
  /** Short label for messages, e.g. "monerod" or "wallet-rpc(hot)". */
  readonly label: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** Where the process's stdout/stderr go. */
  readonly outputFile: string;
  /** The binary's own --log-file, if any. */
  readonly logFile: string | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning: () => boolean;
  /** SIGTERM, then SIGKILL after `timeoutMs`. Resolves once the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnManagedOptions {
  label: string;
  binary: string;
  args: string[];
  /** stdout+stderr are appended here (never to our stdout). */
  outputFile: string;
  logFile?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default for stop(): 15 s. */
  stopTimeoutMs?: number;
  /**
   * The child gets SIGTERM if this process dies in any way, even SIGKILL (Linux: spawned via
   * util-linux `setpriv --pdeathsig TERM`; skipped where setpriv is missing). Default true.
   */
  dieWithParent?: boolean;
}

let setprivPath: string | null | undefined;
function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath = process.platform === 'linux' ? (['/usr/bin/setpriv', '/bin/setpriv'].find(isExecutableFile) ?? null) : null;
  }
  return setprivPath;
}

export async function spawnManaged(o: SpawnManagedOptions): Promise<ManagedProcess> {
  installExitHook();
  mkdirSync(dirname(o.outputFile), { recursive: true });
  const fd = openSync(o.outputFile, 'a');
  let child: ChildProcess;
  try {
    const setpriv = o.dieWithParent === false ? null : findSetpriv();
    // setpriv execs the binary: same pid, so signals and exit codes are the binary's own.
    const [cmd, args] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', o.binary, ...o.args]] : [o.binary, o.args];
    child = spawn(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  // Spawn failures (ENOENT, EACCES) arrive as an 'error' event, before 'spawn'.
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(new MoneroProcessError(`${o.label} could not be started (${o.binary}): ${e.message}`)));
  });
  live.add(child);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const stop = async (timeoutMs = o.stopTimeoutMs ?? 15_000): Promise<void> => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    if ((await Promise.race([exited, timer])) === 'timeout' && running) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return {
    label: o.label,
    process: child,
    pid: child.pid!,
    outputFile: o.outputFile,
    logFile: o.logFile,
    exited,
    isRunning: () => running,
    stop,
  };
}

const ERROR_LINE = /\b(error|fail(ed|ure)?|fatal|unrecognised|unrecognized|exception|cannot|can't|unable|denied|in use)\b/i;
// eslint-disable-next-line no-control-regex -- ESC starts the colour codes this strips
const ANSI = /\u001b\[[0-9;]*m/g;

function readLines(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return readFileSync(path, 'utf8')
      .replace(ANSI, '')
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}

/**
 * The useful part of a process's logs for an error message: the first lines that look like
 * errors (e.g. "Failed to parse arguments: unrecognised option" before a page of --help, or
 * "Failed to bind IPv4" in the --log-file), then the last `lines` lines of the output file.
 */
export function tailFile(path: string | undefined, lines = 12, extraLog?: string): string {
  const all = readLines(path);
  const tail = all.slice(-lines);
  const errors = [...all.slice(0, -lines), ...readLines(extraLog)]
    .filter((l) => !/^\s/.test(l) && ERROR_LINE.test(l) && !/log categories/i.test(l) && !tail.includes(l))
    .slice(0, 5);
  return [...errors, ...(errors.length && tail.length ? ['...'] : []), ...tail].join('\n');
}

export interface WaitReadyOptions {
  timeoutMs?: number;
  /** Progress messages ("waiting for monerod ... 2.0 s"). */
  log?: (msg: string) => void;
  /** How often to log progress (ms), default 2000. */
  progressEveryMs?: number;
}

/**
 * Polls `probe` until it resolves. Fails fast (with the tail of the process output) if the
 * process exits, or after `timeoutMs`.
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  what: string,
  probe: () => Promise<unknown>,
  o: WaitReadyOptions & { port?: number } = {},
): Promise<number> {
  const t0 = Date.now();
  const timeoutMs = o.timeoutMs ?? 60_000;
  const every = o.progressEveryMs ?? 2_000;
  let nextLog = t0 + every;
  let delay = 50;
  let lastErr: unknown;
  for (;;) {
    if (!proc.isRunning()) {
      const { code, signal } = await proc.exited;
      throw new MoneroProcessError(
        `${what} exited before it was ready (code ${code}, signal ${signal})`,
        proc.outputFile,
        tailFile(proc.outputFile, 12, proc.logFile),
      );
    }
    try {
      await probe();
      // Another process may have bound the picked port first and answered the probe: then our
      // child fails to bind and exits, and we must never talk to someone else's daemon or wallet.
      if (o.port !== undefined && !ownsListeningPort(proc.pid, o.port)) throw new Error(`port ${o.port} is answered by another process`);
      const ms = Date.now() - t0;
      o.log?.(`${what} ready in ${(ms / 1000).toFixed(1)} s`);
      return ms;
    } catch (e) {
      lastErr = e;
    }
    const now = Date.now();
    if (now - t0 > timeoutMs) {
      await proc.stop(2_000);
      throw new MoneroProcessError(
        `${what} not ready after ${(timeoutMs / 1000).toFixed(0)} s (last error: ${(lastErr as Error)?.message})`,
        proc.outputFile,
        tailFile(proc.outputFile, 12, proc.logFile),
      );
    }
    if (now >= nextLog) {
      o.log?.(`waiting for ${what} (${((now - t0) / 1000).toFixed(1)} s)`);
      nextLog = now + every;
    }
    await Promise.race([new Promise((r) => setTimeout(r, delay)), proc.exited]);
    delay = Math.min(delay * 2, 250);
  }
}

/** True while `pid` runs (a zombie waiting to be reaped counts as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}
