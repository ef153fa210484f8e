import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface DevChainState {
  pid?: number;
  monerod?: { pid?: number };
  hotWalletRpc?: { pid?: number };
  faucetWalletRpc?: { pid?: number };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` is a live process with an argument in `dir` (so a reused pid is never touched). */
function runsWith(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg === dir || arg.startsWith(`${dir}/`));
  } catch {
    return false;
  }
}

/**
 * A wallet manager killed hard (SIGKILL, OOM, power cut) leaves its monerod and wallet-rpc
 * processes running, holding the chain database and the wallet files. Before a managed chain
 * starts, stop the ones recorded in <dir>/devchain.json — only if their owner is gone and their
 * command line points at this very directory. Refuses if the owner is still alive.
 */
export async function stopOrphanedChain(dir: string, log: (msg: string) => void): Promise<void> {
  const file = join(dir, 'devchain.json');
  if (!existsSync(file)) return;
  let state: DevChainState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as DevChainState;
  } catch {
    return;
  }
  const children = [state.monerod?.pid, state.hotWalletRpc?.pid, state.faucetWalletRpc?.pid].filter(
    (pid): pid is number => typeof pid === 'number' && pid > 0 && runsWith(pid, dir),
  );
  if (children.length === 0) return;
  if (state.pid && state.pid !== process.pid && alive(state.pid)) {
    throw new Error(
      `another Pupero process (pid ${state.pid}) is running the Monero chain in ${dir}; stop it first, or give this one another DATA_DIR`,
    );
  }
  log(`stopping ${children.length} monero process(es) left over from a previous run (pids ${children.join(', ')})`);
  for (const pid of children) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of children.filter(alive)) process.kill(pid, 'SIGKILL');
  while (children.some(alive)) await new Promise((r) => setTimeout(r, 50));
}
