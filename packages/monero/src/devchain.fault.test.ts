/**
 * Fault test on a REAL regtest chain: the DevChain supervisor restarts a SIGKILLed wallet-rpc and
 * monerod on the same ports, reopens the wallet, and the chain is intact afterwards. Also the
 * mining queue: concurrent mine() calls (the /dev/mine route racing the auto-miner) each add their blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevChain, FaucetBusyError } from './devchain.js';
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
    console.info(`FAULT_RECOVERY ${JSON.stringify({ test: 'devchain', recovery_ms: timings })}`);
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

  it('faucet past its payBy time: FaucetBusyError and nothing sent; before it: paid at once, the confirming block not awaited', async () => {
    const { address } = await chain.hot.getAddress();
    await chain.faucetWallet.refresh();
    const before = (await chain.faucetWallet.getBalance()).balance;
    await expect(chain.faucet(address, 1_000_000_000_000n, { confirmations: 0, payBy: Date.now() })).rejects.toBeInstanceOf(
      FaucetBusyError,
    );
    await chain.faucetWallet.refresh();
    expect((await chain.faucetWallet.getBalance()).balance).toBe(before);
    const paid = await chain.faucet(address, 1_000_000_000_000n, { confirmations: 0, payBy: Date.now() + 15_000 });
    expect(paid.tx_hash).toMatch(/^[0-9a-f]{64}$/);
    await chain.mine(1);
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

  it('restarts a SIGKILLed monerod with its chain kept; the wallets are reconnected before "restarted" is reported', async () => {
    const height = await chain.daemon.getHeight();
    const restarted = restartedOnce(chain, 'monerod');
    const t0 = Date.now();
    process.kill(chain.monerod.pid, 'SIGKILL');
    await restarted;
    timings.monerod_restart_ms = Date.now() - t0;
    // The supervisor pointed every wallet-rpc at the new daemon (set_daemon): the first refresh
    // after "restarted" works. Without it a wallet-rpc answered "no connection to daemon" (-38)
    // for ~12 s, until its own reconnection attempt came round.
    await Promise.all([chain.hot.refresh(), chain.faucetWallet.refresh()]);
    timings.monerod_restart_to_wallet_refresh_ms = Date.now() - t0;
    expect(await chain.mine(1)).toBeGreaterThan(height);
    await chain.hot.refresh();
    expect(await chain.hot.getHeight()).toBe(await chain.daemon.getHeight());
    expect(chain.processStates().monerod).toMatchObject({ up: true, restarts: 1 });
  });
});
