/**
 * Integration test on a REAL regtest chain: monerod + hot wallet-rpc + faucet wallet-rpc.
 * The first run on a machine also builds the funded snapshot (~20 s), later runs start in ~3-4 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevChain } from './devchain.js';
import { MoneroRpcError, WalletErrorCode } from './errors.js';
import { isProcessAlive } from './process.js';

const XMR = 1_000_000_000_000n;
const log = process.env.PUPERO_MONERO_LOG ? (m: string) => console.log(`[devchain] ${m}`) : undefined;

describe('DevChain on real regtest', () => {
  let chain: DevChain;
  let pids: number[] = [];
  // Shared between the ordered tests below.
  let sub: { address: string; address_index: number };

  beforeAll(async () => {
    chain = await DevChain.start({ log });
    pids = [chain.monerod.pid, chain.hotRpc.pid, chain.faucetRpc.pid];
  }, 120_000);

  afterAll(async () => {
    await chain?.stop();
    // Every process is gone (SIGTERM, SIGKILL after a timeout).
    for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid} still running`).toBe(false);
  }, 60_000);

  it('starts on a funded regtest chain with an empty hot wallet', async () => {
    const info = await chain.daemon.getInfo();
    expect(info.nettype).toBe('fakechain');
    expect(info.height).toBeGreaterThanOrEqual(81);
    const faucet = await chain.faucetWallet.getBalance();
    expect(faucet.unlocked_balance).toBeGreaterThan(100n * XMR);
    expect(typeof faucet.balance).toBe('bigint');
    const hot = await chain.hot.getBalance();
    expect(hot.balance).toBe(0n);
    expect(chain.hotAddress).not.toBe(chain.faucetAddress);
  });

  it('sees a faucet deposit to a labelled subaddress: first in the pool, then in `in` with the exact amount', async () => {
    sub = await chain.hot.createAddress({ label: 'user-42' });
    expect(sub.address_index).toBeGreaterThan(0);
    const labels = await chain.hot.getAddress({ address_index: [sub.address_index] });
    expect(labels.addresses[0]).toMatchObject({ address: sub.address, label: 'user-42', address_index: sub.address_index });

    const amount = 1_500_000_000_000n; // 1.5 XMR
    const sent = await chain.faucet(sub.address, amount, { confirmations: 0 });
    expect(sent.amount).toBe(amount);
    expect(sent.fee).toBeGreaterThan(0n);

    // Unconfirmed: listed under `pool`, not `in`.
    await chain.hot.refresh();
    const pending = await chain.hot.getTransfers({ in: true, pool: true });
    expect(pending.in.find((t) => t.txid === sent.tx_hash)).toBeUndefined();
    expect(pending.pool.find((t) => t.txid === sent.tx_hash)).toMatchObject({
      type: 'pool',
      amount,
      subaddr_index: { major: 0, minor: sub.address_index },
    });

    const heightBefore = await chain.daemon.getHeight();
    const heightAfter = await chain.mine(10);
    expect(heightAfter).toBe(heightBefore + 10);
    expect(await chain.daemon.getHeight()).toBe(heightAfter);
    await chain.hot.refresh();

    const got = await chain.hot.getTransfers({ in: true, pool: true, min_height: heightBefore - 1 });
    expect(got.pool).toEqual([]);
    const dep = got.in.find((t) => t.txid === sent.tx_hash);
    expect(dep).toBeDefined();
    expect(dep!.amount).toBe(amount);
    expect(dep!.amounts).toEqual([amount]);
    expect(dep!.subaddr_index).toEqual({ major: 0, minor: sub.address_index });
    expect(dep!.address).toBe(sub.address);
    expect(dep!.height).toBe(heightBefore); // mined in the first block after the faucet
    expect(dep!.confirmations).toBe(10);
    expect(dep!.locked).toBe(false); // received outputs unlock after 10 blocks

    // min_height is exclusive: a transfer AT min_height is not returned.
    const excl = await chain.hot.getTransfers({ in: true, min_height: dep!.height });
    expect(excl.in.find((t) => t.txid === sent.tx_hash)).toBeUndefined();

    // The same deposit through the other read paths.
    const byTxid = await chain.hot.getTransferByTxid(sent.tx_hash);
    expect(byTxid.transfer).toMatchObject({ type: 'in', amount, subaddr_index: { major: 0, minor: sub.address_index } });
    const outputs = await chain.hot.incomingTransfers({ transfer_type: 'all' });
    expect(outputs.filter((o) => o.tx_hash === sent.tx_hash)).toMatchObject([
      { amount, spent: false, unlocked: true, subaddr_index: { major: 0, minor: sub.address_index } },
    ]);
    const bal = await chain.hot.getBalance({ address_indices: [sub.address_index] });
    expect(bal.per_subaddress.find((s) => s.address_index === sub.address_index)).toMatchObject({
      balance: amount,
      unlocked_balance: amount,
      label: 'user-42',
    });
  });

  it('withdraws with do_not_relay + tx_metadata, relays twice idempotently, and confirms on chain', async () => {
    const amount = 250_000_000_000n; // 0.25 XMR to an outside wallet (the faucet)
    const signed = await chain.hot.transfer({
      destinations: [{ address: chain.faucetAddress, amount }],
      do_not_relay: true,
      get_tx_metadata: true,
      priority: 0,
    });
    expect(signed.tx_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.tx_metadata.length).toBeGreaterThan(100);
    expect(signed.amount).toBe(amount);
    expect(signed.fee).toBeGreaterThan(0n);
    expect(signed.fee).toBeLessThan(XMR / 100n);

    // Signed but not broadcast: the daemon does not know it.
    const before = await chain.daemon.getTransactions([signed.tx_hash]);
    expect(before.txs).toEqual([]);
    expect(before.missed_tx).toEqual([signed.tx_hash]);

    const first = await chain.hot.relayTx(signed.tx_metadata);
    expect(first.tx_hash).toBe(signed.tx_hash);
    // Re-relaying the same metadata (e.g. after a crash) is safe: same hash, no error.
    const again = await chain.hot.relayTx(signed.tx_metadata);
    expect(again.tx_hash).toBe(signed.tx_hash);

    const pooled = await chain.daemon.getTransactions([signed.tx_hash]);
    expect(pooled.txs).toHaveLength(1);
    expect(pooled.txs[0]).toMatchObject({ tx_hash: signed.tx_hash, in_pool: true, confirmations: 0 });
    expect(await chain.daemon.getTransactionPoolHashes()).toContain(signed.tx_hash);

    const height = await chain.daemon.getHeight();
    await chain.mine(3);
    const mined = await chain.daemon.getTransactions([signed.tx_hash]);
    expect(mined.txs[0]).toMatchObject({ in_pool: false, block_height: height, confirmations: 3 });

    await chain.sync();
    const out = (await chain.hot.getTransfers({ out: true, pending: true })).out.find((t) => t.txid === signed.tx_hash);
    expect(out).toMatchObject({ type: 'out', amount, fee: signed.fee, confirmations: 3, height });
    expect(out!.destinations).toEqual([{ address: chain.faucetAddress, amount }]);
    const received = await chain.faucetWallet.getTransferByTxid(signed.tx_hash);
    expect(received.transfer).toMatchObject({ type: 'in', amount, confirmations: 3 });
    const hotBalance = await chain.hot.getBalance();
    expect(hotBalance.balance).toBe(1_500_000_000_000n - amount - signed.fee);
  });

  it('reports a transfer the wallet cannot fund as NOT_ENOUGH_MONEY, not as a transport error', async () => {
    const err = await chain.hot
      .transfer({ destinations: [{ address: chain.faucetAddress, amount: 1_000n * XMR }], do_not_relay: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MoneroRpcError);
    expect(err).toMatchObject({ kind: 'rpc', code: WalletErrorCode.NOT_ENOUGH_MONEY, method: 'transfer' });
    expect((err as Error).message).toMatch(/^wallet-rpc transfer failed: .*\(code -17\)$/);
  });

  it('validate_address rejects garbage and tells primary, subaddress and integrated addresses apart', async () => {
    expect(await chain.hot.validateAddress('garbage')).toMatchObject({ valid: false });
    // One character changed: checksum fails.
    const broken = chain.faucetAddress.slice(0, -1) + (chain.faucetAddress.endsWith('A') ? 'B' : 'A');
    expect((await chain.hot.validateAddress(broken)).valid).toBe(false);

    expect(await chain.hot.validateAddress(chain.faucetAddress)).toEqual({
      valid: true,
      integrated: false,
      subaddress: false,
      nettype: 'mainnet', // regtest uses mainnet-format addresses
      openalias_address: '',
    });
    expect(await chain.hot.validateAddress(sub.address)).toMatchObject({ valid: true, subaddress: true, integrated: false });

    const { integrated_address } = await chain.faucetWallet.makeIntegratedAddress();
    expect(await chain.hot.validateAddress(integrated_address)).toMatchObject({
      valid: true,
      integrated: true,
      subaddress: false,
      nettype: 'mainnet',
    });
  });
});
