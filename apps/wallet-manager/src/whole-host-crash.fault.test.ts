import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@pupero/db';
import { testDbKind } from '@pupero/db/testing';
import { formatXmr, parseXmr } from '@pupero/money';
import { DevChain, type WalletRpc, type WalletRpcHandle } from '@pupero/monero';
import { type TestStack, type TestUser } from '@pupero/stack/testing';
import { childWalletEnv } from './testing/child.js';
import { DrillChild, requestWithdrawal, startDrillWorld, type CrashPoint } from './testing/crash-drill.js';
import { balanceOf, waitFor } from './testing/chain-helpers.js';

type Moment = CrashPoint;
interface Item {
  id: string;
  txid: string | null;
  amount: string;
  fee: string;
  status: string;
}

/**
 * The whole host dies: the wallet manager (a separate process) SIGKILLs itself at a moment of its
 * work and the test SIGKILLs monerod and both wallet-rpcs (hot, faucet) right after, so the hot
 * wallet loses whatever it had not saved (it forgets the transactions it relayed since). Chain and
 * wallets restart from their files on the same ports, then the wallet manager. After each restart
 * it must reconcile before it signs anything new (issue #13: defects (a) and (b) of the drills).
 */
describe('whole-host crash: wallet manager SIGKILLed together with monerod and both wallet-rpcs', { timeout: 600_000 }, () => {
  let chain: DevChain;
  let chainDir: string;
  let ports: { monerod: number; hotWalletRpc: number; faucetWalletRpc: number };
  let stack: TestStack;
  let outside: { wallet: WalletRpc; address: string; handle: WalletRpcHandle };
  let alice: TestUser;
  let admin: TestUser;
  let dataDir: string;
  let database: { url?: string; drop(): Promise<void> };
  const timings: Record<string, number> = {};
  /** Every status each withdrawal was ever seen in (none may be `failed`). */
  const seen = new Map<string, Set<string>>();
  /** Transactions of the hot wallet that pay no withdrawal (the test's own spend in the re-queue case). */
  const ownSpends: string[] = [];
  let walletUrl = '';

  const drill = new DrillChild({
    env: (extra) =>
      childWalletEnv(
        { stack, dataDir, databaseUrl: database.url, daemonUrl: chain.monerod.url, walletRpcUrl: chain.hotRpc.url },
        { WITHDRAWAL_BATCH_MAX: '5', ...extra },
      ),
    port: () => stack.common.ports.walletManager,
    readyTimeoutMs: 300_000, // generous: this machine may be shared (~3 s when idle)
  });
  const startChild = (extra: Record<string, string> = {}) => drill.start(extra);
  const stopChild = () => drill.stop();
  const get = (path: string, user: TestUser) => stack.request('GET', path, undefined, { token: user.token });
  const withdraw = (key: string, amount: string) => requestWithdrawal(stack, alice, outside.address, key, amount);
  const items = async (): Promise<Item[]> => {
    const res = await fetch(`${walletUrl}/wallet/withdrawals?limit=200`, { headers: { authorization: `Bearer ${alice.token}` } }).catch(
      () => undefined,
    );
    // A busy or restarting service (503 while its wallet-rpc is busy): nothing seen this time, poll again.
    const list = res?.ok ? ((await res.json()) as { items: Item[] }).items : [];
    for (const w of list) seen.set(w.id, (seen.get(w.id) ?? new Set()).add(w.status));
    return list;
  };
  const allConfirmed = (ids: string[]) =>
    waitFor(
      `${ids.length} withdrawal(s) confirmed`,
      items,
      (list) => ids.every((id) => list.find((w) => w.id === id)?.status === 'confirmed'),
      400_000,
    );

  /** generateblocks with a long timeout: on a loaded machine RandomX mining is slow (DevChain.mine allows ~1 s a block). */
  const mine = async (blocks: number) => void (await chain.daemon.generateBlocks(chain.faucetAddress, blocks, { timeoutMs: 300_000 }));
  const faucet = async (address: string, amount: string, confirmations: number) => {
    await chain.faucet(address, parseXmr(amount), { confirmations: 0 });
    if (confirmations > 0) await mine(confirmations);
  };

  /** Mines a block every 400 ms (an auto-miner) until stopped. */
  const miner = () => {
    let on = true;
    const done = (async () => {
      while (on) {
        await mine(1).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    return async () => {
      on = false;
      await done;
    };
  };

  /** The host dies: the wallet manager killed itself at `moment`; now monerod and both wallet-rpcs, at once. */
  const killChain = async () => {
    const pids = [chain.monerod.pid, chain.hotRpc.pid, chain.faucetRpc.pid];
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (pids.some(alive)) await new Promise((r) => setTimeout(r, 20));
  };
  const restartChain = async () => {
    const t0 = Date.now();
    chain = await DevChain.start({ dataDir: chainDir, persistent: true, ports, supervise: false });
    timings.chain_restart_ms = Math.max(timings.chain_restart_ms ?? 0, Date.now() - t0);
  };
  /** Starts the wallet manager with a crash point, makes the requests, waits for the self-kill, kills the chain. */
  const crashAt = async (moment: Moment, requests: Array<[key: string, amount: string]>) => {
    await drill.crashAfter(moment, () => Promise.all(requests.map(([key, amount]) => withdraw(key, amount))));
    await killChain();
  };
  /** Reads the wallet manager's database while it is dead (its PGlite files, or the PostgreSQL database). */
  const storedBatch = async () => {
    const db = await openDatabase({ databaseUrl: database.url, dataDir, applicationName: 'pupero-fault-test' });
    try {
      const { rows } = await db.query<{ tx_hash: string; tx_blob: string | null; key_images: string[] | string }>(
        "SELECT tx_hash, tx_blob, key_images FROM wallet.withdrawal_batches WHERE status = 'signed'",
      );
      const [r] = rows;
      assert(r && rows.length === 1, 'exactly one signed transaction stored');
      return {
        txHash: r.tx_hash,
        txBlob: r.tx_blob!,
        keyImages: (typeof r.key_images === 'string' ? JSON.parse(r.key_images) : r.key_images) as string[],
      };
    } finally {
      await db.close();
    }
  };
  const daemonTx = async (hash: string) =>
    (
      await chain.daemon.transport.other<{ txs?: Array<{ in_pool: boolean; relayed?: boolean }> }>(
        '/get_transactions',
        { txs_hashes: [hash], prune: true },
        { idempotent: true },
      )
    ).txs?.[0];
  /** Milliseconds from `since` to the first line of the live wallet manager's log with this message. */
  const logTime = (msg: string, since: number) => {
    for (const line of (drill.running?.output() ?? '').split('\n')) {
      if (!line.includes(msg)) continue;
      try {
        return (JSON.parse(line) as { time: number }).time - since;
      } catch {
        /* not JSON */
      }
    }
    return undefined;
  };

  beforeAll(async () => {
    chainDir = await mkdtemp(join(tmpdir(), 'pupero-host-crash-chain-'));
    // The whole host dies in this drill: nothing survives to restart the chain, so no supervisor (it
    // would restart the killed processes on the same ports while the test starts them again).
    chain = await DevChain.start({ dataDir: chainDir, persistent: true, supervise: false });
    const port = (url: string) => Number(new URL(url).port);
    ports = { monerod: port(chain.monerod.url), hotWalletRpc: port(chain.hotRpc.url), faucetWalletRpc: port(chain.faucetRpc.url) };
    ({ outside, dataDir, database, stack, walletUrl, alice, admin } = await startDrillWorld(chain, 'host-crash'));
    // One output only for the first case: the restarted wallet has nothing else to sign from.
    await startChild();
    const address = (await get('/wallet/deposit-address', alice)).body.address;
    await faucet(address, '2', 10);
    await waitFor(
      'the credit',
      () => balanceOf(stack, alice),
      (b) => b.available === '2',
    );
    await stopChild();
  }, 600_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`--- wallet manager output ---\n${drill.output(30_000)}`));
  });

  afterAll(async () => {
    console.info(`FAULT_RECOVERY ${JSON.stringify({ test: 'whole-host-crash', recovery_ms: timings })}`);
    console.info(
      'whole-host crash timings (ms):',
      timings,
      `database: ${database?.url ? 'postgresql' : 'pglite'} (suite on ${testDbKind()})`,
    );
    await stopChild();
    await stack?.close();
    await outside?.handle.stop();
    await chain?.stop();
    await database?.drop();
    for (const dir of [dataDir, chainDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the restarted wallet forgot its relayed transaction: it is tracked, and nothing is signed from its inputs (defect a)', async () => {
    await crashAt('relayed', [['forgot-1', '0.5']]);
    const pool = await (async () => {
      await restartChain();
      return chain.daemon.getTransactionPoolHashes();
    })();
    expect(pool).toHaveLength(1); // it did leave, but nothing recorded it, and the hot wallet did not save it
    await startChild();
    // A withdrawal right after the restart: the wallet's only output is spent by the pool transaction.
    await withdraw('forgot-2', '0.3');
    const stop = miner();
    try {
      const list = await items();
      await allConfirmed(list.map((w) => w.id));
    } finally {
      await stop();
    }
    const list = await items();
    expect(list.find((w) => w.amount === '0.5')!.txid).toBe(pool[0]);
    expect(new Set(list.map((w) => w.txid)).size).toBe(2);
  });

  it('stored transaction held by the restarted daemon but never relayed: relayed again (defect b)', async () => {
    // More outputs for what follows (each batch spends one; change unlocks 10 blocks later).
    await startChild();
    const address = (await get('/wallet/deposit-address', alice)).body.address;
    for (let i = 0; i < 6; i++) await faucet(address, '1', 1);
    await mine(10);
    await waitFor(
      'the credits',
      () => balanceOf(stack, alice),
      (b) => b.pending_deposits === '0' && parseXmr(b.available) > parseXmr('6'),
    );

    await crashAt('signed', [['unrelayed', '0.2']]);
    const stored = await storedBatch();
    await restartChain();
    // The daemon holds it without relaying it (as monerod restarted from its pool did in the drill).
    await chain.daemon.sendRawTransaction(stored.txBlob, { do_not_relay: true });
    expect(await daemonTx(stored.txHash)).toMatchObject({ in_pool: true, relayed: false });
    await startChild();
    await waitFor(
      'the daemon to relay it',
      () => daemonTx(stored.txHash),
      (tx) => tx?.relayed === true,
      20_000,
    );
    const stop = miner();
    try {
      const w = (await items()).find((x) => x.amount === '0.2')!;
      await allConfirmed([w.id]);
      expect((await items()).find((x) => x.id === w.id)!.txid).toBe(stored.txHash);
    } finally {
      await stop();
    }
  });

  it('stored transaction unknown to the daemon whose input was spent on chain meanwhile: its withdrawal is re-queued and paid, never failed', async () => {
    await crashAt('signed', [['requeue', '0.15']]);
    const stored = await storedBatch();
    await restartChain();
    // The same output spent by another transaction of the hot wallet (to itself) while Pupero was down.
    const { address } = await chain.hot.getAddress({ account_index: 0, address_index: [0] });
    const sweep = await chain.hot.transport.jsonRpc<{ tx_hash?: string; tx_hash_list?: string[] }>('sweep_single', {
      address,
      key_image: stored.keyImages[0],
      priority: 0,
    });
    const spend = sweep.tx_hash ?? sweep.tx_hash_list?.[0];
    assert(spend, 'sweep_single answered a transaction hash');
    ownSpends.push(spend);
    await mine(1);
    expect(await daemonTx(stored.txHash)).toBeUndefined(); // unknown: it never left
    await startChild();
    const stop = miner();
    try {
      const w = (await items()).find((x) => x.amount === '0.15')!;
      await allConfirmed([w.id]);
      const paid = (await items()).find((x) => x.id === w.id)!;
      expect(paid.txid).not.toBe(stored.txHash);
      // Re-queued, not failed: the worker logged the drop naming this withdrawal (a status poll can miss
      // its short spell in `queued` when it is signed again at once).
      const requeued = (drill.running?.output() ?? '')
        .split('\n')
        .some((line) => line.includes('stored transaction dropped') && line.includes(w.id));
      expect(requeued).toBe(true);
    } finally {
      await stop();
    }
  });

  for (const [round, moment] of (['signing', 'signed', 'relayed'] as const).entries()) {
    it(`15-withdrawal burst, host killed at "${moment}": all confirmed exactly once, none failed`, async () => {
      const burst = Array.from({ length: 15 }, (_, i): [string, string] => [
        `burst-${moment}-${i}`,
        `0.01${round + 1}${String(i).padStart(2, '0')}1`,
      ]);
      await crashAt(moment, burst);
      await restartChain();
      const t0 = Date.now();
      await startChild();
      // Clients retry what got no answer (same Idempotency-Key: the same withdrawal, never a second one).
      await Promise.all(burst.map(([key, amount]) => withdraw(key, amount)));
      const stop = miner();
      try {
        const mine = (await items()).filter((w) => burst.some(([, amount]) => amount === w.amount));
        expect(mine).toHaveLength(15);
        await allConfirmed(mine.map((w) => w.id));
        timings[`${moment}_restart_to_all_15_confirmed_ms`] = Date.now() - t0;
        const signedAt = logTime('withdrawal transaction signed and stored', t0);
        if (signedAt !== undefined) timings[`${moment}_restart_to_first_new_signature_ms`] = signedAt;
        const reconciledAt = logTime('reconciled with the chain: signing resumes', t0);
        if (reconciledAt !== undefined) timings[`${moment}_restart_to_reconciled_ms`] = reconciledAt;
      } finally {
        await stop();
      }
    });
  }

  it('ends with exactly one on-chain transaction per withdrawal, none ever failed, a verified ledger and reconciliation ok', async () => {
    const list = await items();
    expect(list.length).toBe(3 + 1 + 45);
    expect(list.map((w) => w.status).filter((s) => s !== 'confirmed')).toEqual([]);
    expect([...seen.values()].filter((s) => s.has('failed'))).toEqual([]);
    // Both wallet-rpcs reconnect to the restarted daemon on their own schedule (no supervisor here to call
    // set_daemon): refresh once they can.
    const refreshed = (wallet: { refresh: () => Promise<unknown> }) =>
      waitFor(
        'a wallet refresh',
        () =>
          wallet.refresh().then(
            () => true,
            () => false,
          ),
        (ok) => ok,
        60_000,
      );
    await refreshed(chain.hot);
    const out = (await chain.hot.getTransfers({ out: true })).out.filter((t) => !ownSpends.includes(t.txid));
    const txids = new Set(list.map((w) => w.txid));
    expect(out.map((t) => t.txid).sort()).toEqual([...txids].sort());
    await refreshed(outside.wallet);
    const received = (await outside.wallet.getTransfers({ in: true })).in.filter((t) => txids.has(t.txid));
    const total = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n);
    expect(total(received.map((t) => t.amount))).toBe(total(list.map((w) => parseXmr(w.amount))));
    expect(received.length).toBe(txids.size);
    expect((await get('/admin/ledger/verify', admin)).body.ok).toBe(true);
    const rec = await fetch(`${walletUrl}/admin/reconciliation`, { headers: { authorization: `Bearer ${admin.token}` } }).then((r) =>
      r.json(),
    );
    expect(rec).toMatchObject({ ok: true, inflight_withdrawals: '0' });
    expect(formatXmr(parseXmr(rec.difference))).toBe(rec.difference);
    expect((await stopChild())?.code).toBe(0);
  });
});
