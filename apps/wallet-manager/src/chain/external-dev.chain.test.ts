import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevChain, FaucetBusyError } from '@pupero/monero';
import { externalDevTools } from './external-dev.js';
import type { DevTools } from './runtime.js';

/**
 * The dev faucet on an external regtest chain (MONERO_FAUCET_WALLET_RPC_URL), on a real chain: its
 * transfer starts before the caller's `payBy` or not at all, and it answers without waiting for the
 * block that confirms it (so /dev/faucet never outlasts the gateway's upstream timeout).
 */
describe('external regtest dev faucet (real regtest)', () => {
  let chain: DevChain;
  let dev: DevTools;
  let to: string;

  beforeAll(async () => {
    chain = await DevChain.start({ supervise: false });
    dev = await externalDevTools(chain.daemon, chain.faucetWallet, 'faucet');
    to = (await chain.hot.getAddress()).address;
  }, 180_000);
  afterAll(async () => {
    await chain?.stop();
  });

  it('past payBy: FaucetBusyError, nothing sent', async () => {
    await chain.faucetWallet.refresh();
    const before = (await chain.faucetWallet.getBalance()).balance;
    await expect(dev.faucet(to, 1_000_000_000_000n, Date.now())).rejects.toBeInstanceOf(FaucetBusyError);
    await chain.faucetWallet.refresh();
    expect((await chain.faucetWallet.getBalance()).balance).toBe(before);
    expect(await chain.daemon.getTransactionPoolHashes()).toEqual([]);
  });

  it('before payBy: pays, and the block confirming it is mined after the answer', async () => {
    const height = await chain.daemon.getHeight();
    const txid = await dev.faucet(to, 1_000_000_000_000n, Date.now() + 15_000);
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    for (const deadline = Date.now() + 60_000; (await chain.daemon.getHeight()) <= height;) {
      if (Date.now() > deadline) throw new Error('no block mined after the faucet payment');
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const deadline = Date.now() + 30_000; (await chain.daemon.getTransactionPoolHashes()).includes(txid);) {
      if (Date.now() > deadline) throw new Error('the faucet payment stayed in the pool');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
