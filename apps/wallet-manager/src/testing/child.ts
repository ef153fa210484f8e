import { fileURLToPath } from 'node:url';
import { spawnScript, type StackProcess } from '@pupero/stack/testing';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

export type ChildService = StackProcess;

/** Starts the wallet manager as its own process (testing/serve.ts) with exactly this environment. */
export function spawnWalletManager(env: Record<string, string>): ChildService {
  return spawnScript(SERVE, [], env);
}

export { createThrowawayPostgres as throwawayPostgres } from '@pupero/db/testing';
