/**
 * The persistent dev stack: chain and wallets survive a restart (monerod --keep-fakechain),
 * and a non-persistent start on the same directory begins again from a fresh chain.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevChain } from './devchain.js';
import { isProcessAlive } from './process.js';

const XMR = 1_000_000_000_000n;

describe('DevChain persistent mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pupero-devchain-persist-'));
  let chain: DevChain | undefined;
  afterAll(async () => {
    await chain?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps chain, wallets and balances across a restart; extra wallets stop with the chain', async () => {
    chain = await DevChain.start({ dataDir, persistent: true });
    const sub = await chain.hot.createAddress({ label: 'persist' });
    await chain.faucet(sub.address, 2n * XMR, { confirmations: 1 });
    const faucetAddress = chain.faucetAddress;
    // An outside user on the same chain: its own wallet-rpc, stopped with the chain.
    const outside = await chain.startWallet('outside');
    await chain.faucet(outside.address, XMR, { confirmations: 1 });
    await outside.wallet.refresh();
    expect((await outside.wallet.getBalance()).balance).toBe(XMR);
    const outsidePid = outside.handle.pid;
    const height = await chain.daemon.getHeight();
    const state = JSON.parse(readFileSync(join(dataDir, 'devchain.json'), 'utf8'));
    expect(state).toMatchObject({ monerod: { url: chain.monerod.url }, hotWalletRpc: { url: chain.hotRpc.url } });
    await chain.stop();
    chain = undefined;
    expect(isProcessAlive(outsidePid)).toBe(false);
    expect(existsSync(join(dataDir, 'devchain.json'))).toBe(false);
    expect(existsSync(dataDir)).toBe(true); // a caller-owned dataDir is never deleted

    chain = await DevChain.start({ dataDir, persistent: true });
    expect(await chain.daemon.getHeight()).toBe(height);
    expect(chain.faucetAddress).toBe(faucetAddress);
    await chain.hot.refresh();
    const bal = await chain.hot.getBalance({ address_indices: [sub.address_index] });
    expect(bal.per_subaddress.find((s) => s.address_index === sub.address_index)).toMatchObject({
      balance: 2n * XMR,
      label: 'persist',
    });
    await chain.stop();
    chain = undefined;

    // Without `persistent`, the same directory starts over (fresh chain + fresh wallets).
    chain = await DevChain.start({ dataDir });
    expect(await chain.daemon.getHeight()).toBeLessThan(height);
    expect((await chain.hot.getBalance()).balance).toBe(0n);
  }, 120_000);
});
