import { fileURLToPath } from 'node:url';
import { spawnScript, type StackProcess, type TestStack } from '@pupero/stack/testing';
import { waitFor } from './chain-helpers.js';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

export type ChildService = StackProcess;

/** Starts the wallet manager as its own process (testing/serve.ts) with exactly this environment. */
export function spawnWalletManager(env: Record<string, string>): ChildService {
  return spawnScript(SERVE, [], env);
}

/**
 * The environment of a wallet manager child on an external regtest chain (fast polls, a short
 * worker lease, reconciliation off), talking to the test stack's login and transactions services.
 */
export function childWalletEnv(
  o: { stack: TestStack; dataDir: string; databaseUrl?: string; daemonUrl: string; walletRpcUrl: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    DATA_DIR: o.dataDir,
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    SERVICE_TOKEN: o.stack.common.serviceToken,
    LOGIN_URL: o.stack.common.urls.login,
    TRANSACTIONS_URL: o.stack.common.urls.transactions,
    WALLET_PORT: String(o.stack.common.ports.walletManager),
    MONERO_MODE: 'external',
    MONERO_NETWORK: 'regtest',
    MONERO_DAEMON_URL: o.daemonUrl,
    MONERO_WALLET_RPC_URL: o.walletRpcUrl,
    DEPOSIT_CONFIRMATIONS: '10',
    WITHDRAWAL_CONFIRMATIONS: '10',
    DEPOSIT_POLL_MS: '200',
    WITHDRAWAL_POLL_MS: '200',
    WORKER_LEASE_SECONDS: '2',
    RECONCILIATION_INTERVAL_SECONDS: '0',
    ...extra,
  };
}

/** Waits for the child's /readyz (fails at once, with its output, if it exits). */
export async function waitChildReady(child: ChildService, port: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    'the wallet manager to be ready',
    async () => {
      if (child.child.exitCode !== null || child.child.signalCode !== null)
        throw new Error(`wallet manager exited early:\n${child.output()}`);
      return fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
    },
    (status) => status === 200,
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- wallet manager output ---\n${child.output().slice(-5000)}`);
  });
}

export { createThrowawayPostgres as throwawayPostgres } from '@pupero/db/testing';
