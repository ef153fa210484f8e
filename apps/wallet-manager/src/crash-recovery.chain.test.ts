import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatXmr, parseXmr } from '@pupero/money';
import { DevChain, type WalletRpc, type WalletRpcHandle } from '@pupero/monero';
import { freePort, type TestStack, type TestUser } from '@pupero/stack/testing';
import { testDbKind } from '@pupero/db/testing';
import { childWalletEnv, spawnWalletManager, waitChildReady, type ChildService } from './testing/child.js';
import { DrillChild, requestWithdrawal, startDrillWorld } from './testing/crash-drill.js';
import { balanceOf, waitFor } from './testing/chain-helpers.js';

/**
 * SIGKILL the wallet manager (a separate process) right after it stored a signed transaction,
 * and right after it relayed one, then restart it: every withdrawal ends with exactly one
 * on-chain transaction and the ledger verifies. The chain is external to the wallet manager
 * here (MONERO_MODE=external), as in production: the kill does not touch monerod or wallet-rpc.
 */
describe('wallet manager crash recovery (SIGKILL, real chain, separate process)', { timeout: 180_000 }, () => {
  // The same cast of lets as whole-host-crash, wallet-outage and wallet.chain: each file builds its own world in beforeAll.
  let chain: DevChain;
  let stack: TestStack;
  let outside: { wallet: WalletRpc; address: string; handle: WalletRpcHandle };
  let alice: TestUser;
  let admin: TestUser;
  let dataDir: string;
  let database: { url?: string; drop(): Promise<void> };
  const timings: Record<string, number> = {};
  /** Where the live wallet manager answers (the gateway's upstream, or a replica after a failover). */
  let walletUrl = '';
  let replica: ChildService | undefined;

  const childEnv = (extra: Record<string, string> = {}) =>
    childWalletEnv({ stack, dataDir, databaseUrl: database.url, daemonUrl: chain.monerod.url, walletRpcUrl: chain.hotRpc.url }, extra);
  const waitReady = (child: ChildService, port: number) => waitChildReady(child, port);
  const drill = new DrillChild({ env: childEnv, port: () => stack.common.ports.walletManager });
  const startChild = async (extra: Record<string, string> = {}) => {
    const t0 = Date.now();
    const child = await drill.start(extra);
    timings.child_start_ms = Math.max(timings.child_start_ms ?? 0, Date.now() - t0);
    return child;
  };
  /** A call straight to the live wallet manager (not through the gateway). */
  const wm = async (method: string, path: string, user: TestUser, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${walletUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };
  const stopChild = () => drill.stop();
  const get = (path: string, user: TestUser) => stack.request('GET', path, undefined, { token: user.token });

  /** Kills the wallet manager right after `point` while it processes one withdrawal. */
  const crashDuring = (point: 'signed' | 'relayed', key: string, amount: string) =>
    drill.crashAfter(point, () => requestWithdrawal(stack, alice, outside.address, key, amount));

  beforeAll(async () => {
    const t0 = Date.now();
    chain = await DevChain.start({});
    timings.chain_start_ms = Date.now() - t0;
    ({ outside, dataDir, database, stack, walletUrl, alice, admin } = await startDrillWorld(chain, 'wm-crash'));
  }, 300_000);

  beforeEach(({ onTestFailed }) => {
    // The wallet manager's own log is the evidence when something goes wrong.
    onTestFailed(() => console.error(`--- wallet manager output ---\n${drill.output(20_000, replica)}`));
  });

  afterAll(async () => {
    console.info('crash test timings (ms):', timings, `database: ${database?.url ? 'postgresql' : 'pglite'} (suite on ${testDbKind()})`);
    await stopChild();
    await replica?.stop();
    await stack?.close();
    await outside?.handle.stop();
    await chain?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('credits a faucet deposit through the separately running wallet manager', async () => {
    await startChild();
    const address = (await get('/wallet/deposit-address', alice)).body.address;
    await chain.faucet(address, parseXmr('3'), { confirmations: 10 });
    await waitFor(
      'the credit',
      () => balanceOf(stack, alice),
      (b) => b.available === '3',
    );
    expect((await stopChild())?.code).toBe(0);
  });

  it('SIGKILL right after signing: the restart relays the stored transaction, no second one', async () => {
    await crashDuring('signed', 'crash-signed', '0.5');
    expect(await chain.daemon.getTransactionPoolHashes()).toEqual([]); // signed, never relayed
    const t0 = Date.now();
    await startChild();
    const [w] = (await get('/wallet/withdrawals', alice)).body.items;
    expect(w).toMatchObject({ amount: '0.5' });
    const broadcast = await waitFor(
      'broadcast after restart',
      () => get(`/wallet/withdrawals/${w.id}`, alice),
      (r) => r.body.status === 'broadcast',
    );
    timings.recovery_after_signed_ms = Date.now() - t0;
    expect(await chain.daemon.getTransactionPoolHashes()).toEqual([broadcast.body.txid]);
    await chain.mine(10); // confirms it and unlocks the change for the next withdrawal
    await waitFor(
      'confirmed',
      () => get(`/wallet/withdrawals/${w.id}`, alice),
      (r) => r.body.status === 'confirmed',
    );
    await stopChild();
  });

  it('SIGKILL right after relaying (before recording it): the restart finds it by hash, no second one', async () => {
    await crashDuring('relayed', 'crash-relayed', '0.25');
    const pool = await chain.daemon.getTransactionPoolHashes();
    expect(pool).toHaveLength(1); // it did reach the network
    const t0 = Date.now();
    await startChild();
    const w = (await get('/wallet/withdrawals', alice)).body.items.find((x: { amount: string }) => x.amount === '0.25');
    const broadcast = await waitFor(
      'broadcast after restart',
      () => get(`/wallet/withdrawals/${w.id}`, alice),
      (r) => r.body.status === 'broadcast',
    );
    timings.recovery_after_relayed_ms = Date.now() - t0;
    expect(broadcast.body.txid).toBe(pool[0]);
    expect(await chain.daemon.getTransactionPoolHashes()).toEqual(pool);
    await chain.mine(10);
    await waitFor(
      'confirmed',
      () => get(`/wallet/withdrawals/${w.id}`, alice),
      (r) => r.body.status === 'confirmed',
    );
  });

  // Two replicas need one shared database: PostgreSQL (the embedded PGlite belongs to one process).
  it.runIf(Boolean(process.env.DATABASE_URL))('runs one active worker among replicas, and the other takes over when it dies', async () => {
    const replicaPort = await freePort();
    replica = spawnWalletManager(childEnv({ WALLET_PORT: String(replicaPort) }));
    await waitReady(replica, replicaPort);
    const statusOf = async (port: number) =>
      (await fetch(`http://127.0.0.1:${port}/admin/wallet/status`, { headers: { authorization: `Bearer ${admin.token}` } }).then((r) =>
        r.json(),
      )) as {
        worker_lease: { holder: string } | null;
        this_process: string;
      };
    const [a, b] = await Promise.all([statusOf(stack.common.ports.walletManager), statusOf(replicaPort)]);
    expect(a.worker_lease?.holder).toBe(a.this_process);
    expect(b.worker_lease?.holder).toBe(a.this_process); // the replica serves requests but does not work the chain

    drill.running!.child.kill('SIGKILL');
    await drill.running!.exited;
    drill.outputs.push(drill.running!.output());
    drill.running = replica;
    replica = undefined;
    walletUrl = `http://127.0.0.1:${replicaPort}`;
    const t0 = Date.now();
    const res = await wm(
      'POST',
      '/wallet/withdrawals',
      alice,
      { address: outside.address, amount: '0.125' },
      { 'idempotency-key': 'after-failover' },
    );
    expect(res.status).toBe(202);
    await waitFor(
      'broadcast by the replica',
      () => wm('GET', `/wallet/withdrawals/${res.body.id}`, alice),
      (r) => r.body.status === 'broadcast',
    );
    timings.failover_withdrawal_broadcast_ms = Date.now() - t0;
    expect((await statusOf(replicaPort)).worker_lease?.holder).toBe(b.this_process);
    await chain.mine(10);
    await waitFor(
      'confirmed',
      () => wm('GET', `/wallet/withdrawals/${res.body.id}`, alice),
      (r) => r.body.status === 'confirmed',
    );
  });

  it('ends with exactly one on-chain transaction per withdrawal, a verified ledger and reconciliation ok', async () => {
    const items = (await wm('GET', '/wallet/withdrawals', alice)).body.items as Array<{
      txid: string;
      amount: string;
      fee: string;
      status: string;
    }>;
    const amounts = process.env.DATABASE_URL ? ['0.125', '0.25', '0.5'] : ['0.25', '0.5'];
    expect(items.map((w) => w.status)).toEqual(amounts.map(() => 'confirmed'));
    await chain.hot.refresh();
    const out = (await chain.hot.getTransfers({ out: true })).out;
    expect(out.map((t) => t.txid).sort()).toEqual(items.map((w) => w.txid).sort());
    await outside.wallet.refresh();
    const received = (await outside.wallet.getTransfers({ in: true })).in.filter((t) => items.some((w) => w.txid === t.txid));
    expect(received.map((t) => formatXmr(t.amount)).sort()).toEqual(amounts);

    const fees = items.reduce((s, w) => s + parseXmr(w.fee), 0n);
    const sent = amounts.reduce((sum, a) => sum + parseXmr(a), 0n);
    expect(await balanceOf(stack, alice)).toMatchObject({ available: formatXmr(parseXmr('3') - sent - fees), held: '0' });
    expect((await get('/admin/ledger/verify', admin)).body.ok).toBe(true);
    const rec = await wm('GET', '/admin/reconciliation', admin);
    expect(rec.body).toMatchObject({ ok: true, inflight_withdrawals: '0', pending_deposits: '0' });
    expect(parseXmr(rec.body.difference)).toBe(fees - out.reduce((s, t) => s + t.fee, 0n));
    expect((await stopChild())?.code).toBe(0);
  });
});
