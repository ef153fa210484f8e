/**
 * Fault test on a REAL regtest chain: the DevChain supervisor restarts a SIGKILLed wallet-rpc and
 * monerod on the same ports, reopens the wallet, and the chain is intact afterwards. Also the
 * mining queue: concurrent mine() calls (the /dev/mine route racing the auto-miner) each add their blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevChain } from './devchain.js';
import type { ProcessEvent } from './supervisor.js';

const restartedOnce = (chain: DevChain, name: string) =>
  new Promise<ProcessEvent>((resolve) => {
    const off = chain.onProcessEvent((e) => {
      if (e.process === name && e.type === 'restarted') {
        off();
        resolve(e);
      }
    });
  });

describe('DevChain supervisor and mining queue (real regtest)', { timeout: 90_000 }, () => {
  let chain: DevChain;
  const timings: Record<string, number> = {};
  beforeAll(async () => {
    chain = await DevChain.start({ supervise: { baseDelayMs: 100 } });
  }, 120_000);
  afterAll(async () => {
    console.info('devchain fault timings (ms):', timings);
    await chain?.stop();
  }, 60_000);

  it('concurrent mine() calls each add their blocks, in order (no lost or duplicate heights)', async () => {
    const before = await chain.daemon.getHeight();
    const t0 = Date.now();
    const heights = await Promise.all(Array.from({ length: 6 }, () => chain.mine(1)));
    timings.six_concurrent_mines_ms = Date.now() - t0;
    expect(heights).toEqual([1, 2, 3, 4, 5, 6].map((n) => before + n));
    expect(await chain.daemon.getHeight()).toBe(before + 6);
  });

  it('restarts a SIGKILLed hot wallet-rpc on the same port with the wallet open again', async () => {
    const { address } = await chain.hot.getAddress();
    const old = chain.hotRpc;
    const restarted = restartedOnce(chain, 'hot-wallet-rpc');
    const t0 = Date.now();
    process.kill(old.pid, 'SIGKILL');
    const e = await restarted;
    timings.wallet_rpc_restart_ms = Date.now() - t0;
    expect(chain.hotRpc.pid).not.toBe(old.pid);
    expect(chain.hotRpc.url).toBe(old.url);
    // The client made before the kill works again, on the same wallet.
    expect((await old.rpc.getAddress()).address).toBe(address);
    expect(chain.processStates()['hot-wallet-rpc']).toMatchObject({ up: true, restarts: 1, pid: e.pid, lastExit: { signal: 'SIGKILL' } });
  });

  it('restarts a SIGKILLed monerod with its chain kept; the wallets reconnect', async () => {
    const height = await chain.daemon.getHeight();
    const restarted = restartedOnce(chain, 'monerod');
    const t0 = Date.now();
    process.kill(chain.monerod.pid, 'SIGKILL');
    await restarted;
    timings.monerod_restart_ms = Date.now() - t0;
    expect(await chain.daemon.getHeight()).toBeGreaterThanOrEqual(height);
    expect(await chain.mine(1)).toBeGreaterThan(height);
    // wallet-rpc reconnects to the daemon by itself ("no connection to daemon" (-38) until then).
    for (const deadline = Date.now() + 30_000; ;) {
      const ok = await chain.hot.refresh().then(
        () => true,
        (e: Error) => (Date.now() > deadline ? Promise.reject(e) : false),
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    timings.monerod_restart_to_wallet_refresh_ms = Date.now() - t0;
    expect(await chain.hot.getHeight()).toBe(await chain.daemon.getHeight());
    expect(chain.processStates().monerod).toMatchObject({ up: true, restarts: 1 });
  });
});
