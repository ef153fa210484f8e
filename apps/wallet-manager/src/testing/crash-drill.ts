import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DevChain, WalletRpc, WalletRpcHandle } from '@pupero/monero';
import { startTestStack, type ProcessExit, type TestStack, type TestUser } from '@pupero/stack/testing';
import { startOutsideWallet } from './chain-helpers.js';
import { spawnWalletManager, throwawayPostgres, waitChildReady, type ChildService } from './child.js';

/** Where PUPERO_CRASH_AFTER makes the wallet manager SIGKILL itself. */
export type CrashPoint = 'signing' | 'signed' | 'relayed';

export interface DrillChildOptions {
  /** The child's environment for one start (a restarted chain may answer on other URLs). */
  env: (extra: Record<string, string>) => Record<string, string>;
  /** The port it answers on. */
  port: () => number;
  readyTimeoutMs?: number;
}

/**
 * The wallet manager as the child process a crash drill starts, lets SIGKILL itself and starts
 * again on the same port. Keeps every finished child's output for a failed test's report.
 */
export class DrillChild {
  running: ChildService | undefined;
  readonly outputs: string[] = [];

  constructor(private readonly options: DrillChildOptions) {}

  async start(extra: Record<string, string> = {}): Promise<ChildService> {
    if (this.running) await this.stop(); // never two on one port, even after a failed test
    this.running = spawnWalletManager(this.options.env(extra));
    await waitChildReady(this.running, this.options.port(), this.options.readyTimeoutMs);
    return this.running;
  }

  async stop(): Promise<ProcessExit | undefined> {
    if (!this.running) return undefined;
    const exit = await this.running.stop();
    this.outputs.push(this.running.output());
    this.running = undefined;
    return exit;
  }

  /** Starts it to SIGKILL itself right after `point`, sends `requests`, and waits for that death. */
  async crashAfter(point: CrashPoint, requests: () => Promise<unknown>): Promise<void> {
    const child = await this.start({ PUPERO_CRASH_AFTER: point });
    await requests();
    const exit = await child.exited;
    this.outputs.push(child.output());
    this.running = undefined;
    expect(exit.signal).toBe('SIGKILL');
    expect(child.output()).toContain(`PUPERO_CRASH_AFTER=${point}`);
  }

  /** The last `chars` characters of everything the children (and `others`) printed. */
  output(chars: number, ...others: Array<ChildService | undefined>): string {
    return [...this.outputs, this.running?.output() ?? '', ...others.map((c) => c?.output() ?? '')].join('\n').slice(-chars);
  }
}

/** Asks for a withdrawal through the gateway; undefined when the wallet manager died while answering. */
export const requestWithdrawal = (stack: TestStack, user: TestUser, address: string, key: string, amount: string) =>
  stack
    .request('POST', '/wallet/withdrawals', { address, amount }, { token: user.token, headers: { 'idempotency-key': key } })
    .catch(() => undefined);

/** What a crash drill runs against, besides the chain and the wallet manager child. */
export interface DrillWorld {
  /** An outside user's wallet the withdrawals pay to. */
  outside: { wallet: WalletRpc; address: string; handle: WalletRpcHandle };
  /** The child's DATA_DIR (its PGlite files when no PostgreSQL server is configured). */
  dataDir: string;
  /** The child's own PostgreSQL database when DATABASE_URL is set; else no url (PGlite). */
  database: { url?: string; drop(): Promise<void> };
  /** Login and transactions behind a gateway; the wallet manager is the child, on its port. */
  stack: TestStack;
  /** Where the child answers directly. */
  walletUrl: string;
  alice: TestUser;
  admin: TestUser;
}

/** Starts the world of a drill named `name` (temp dirs, database, users are named after it). */
export async function startDrillWorld(chain: DevChain, name: string): Promise<DrillWorld> {
  const outside = await startOutsideWallet(chain);
  const dataDir = await mkdtemp(join(tmpdir(), `pupero-${name}-`));
  // PostgreSQL when the suite runs on it (or a server is configured); else the child's own PGlite.
  const adminUrl = process.env.DATABASE_URL;
  const database = adminUrl ? await throwawayPostgres(adminUrl) : { drop: async () => undefined };
  const stack = await startTestStack({ services: ['login', 'transactions'] });
  const walletUrl = `http://127.0.0.1:${stack.common.ports.walletManager}`;
  const alice = await stack.newUser(name);
  const admin = await stack.grantRole(await stack.newUser(`${name}admin`), 'admin');
  return { outside, dataDir, database, stack, walletUrl, alice, admin };
}
