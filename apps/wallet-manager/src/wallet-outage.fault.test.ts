import { one } from '@pupero/db';
/**
 * Fault test on the REAL managed regtest chain, through the real gateway: the hot wallet-rpc
 * frozen (SIGSTOP) and killed (SIGKILL), monerod killed, /dev/mine racing the auto-miner.
 * Requests must answer 503 dependency_unavailable naming the dependency within the request budget
 * (WALLET_RPC_REQUEST_TIMEOUT_MS, 4 s here), leave nothing behind, and everything queued must be
 * paid exactly once after the supervisor brought the process back (no Pupero restart).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXmr } from '@pupero/money';
import type { DevChain, WalletRpc, WalletRpcHandle } from '@pupero/monero';
import { startTestStack, type ApiResponse, type TestStack, type TestUser } from '@pupero/stack/testing';
import type { WalletManagerService } from './index.js';
import { balanceOf, startOutsideWallet, waitFor } from './testing/chain-helpers.js';

const BUDGET_MS = 4000;

describe('wallet manager when its wallet-rpc or daemon fails (real regtest)', { timeout: 150_000 }, () => {
  // Declared like wallet.chain.test.ts's world (stack, outside wallet, users): each file builds its own in beforeAll.
  let stack: TestStack;
  let chain: DevChain;
  let outside: { wallet: WalletRpc; address: string; handle: WalletRpcHandle };
  let alice: TestUser;
  let admin: TestUser;
  const sent: Array<{ key: string; amount: string }> = [];
  const measured: Record<string, number> = {};

  const withdraw = (key: string, amount: string) =>
    stack.request(
      'POST',
      '/wallet/withdrawals',
      { address: outside.address, amount },
      { token: alice.token, headers: { 'idempotency-key': key } },
    );
  /** What a client does: send again with the same Idempotency-Key while the answer is a retryable 503. */
  const withdrawUntilAccepted = async (key: string, amount: string) => {
    for (const t0 = Date.now(); ;) {
      const res = await withdraw(key, amount);
      if (res.status === 202 || Date.now() - t0 > 60_000) return res;
      expect([res.status, res.body.error?.code]).toEqual([503, 'dependency_unavailable']);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  /** Waits until alice's withdrawal `id` is confirmed (waitFor's default budget unless given). */
  const confirmed = (what: string, id: string, timeoutMs?: number) =>
    waitFor(
      what,
      async () => (await stack.request('GET', `/wallet/withdrawals/${id}`, undefined, { token: alice.token })).body.status,
      (s) => s === 'confirmed',
      timeoutMs,
    );
  const wm = (path: string) => fetch(`${stack.common.urls.walletManager}${path}`);
  const expectDependency503 = (res: ApiResponse, dependency: 'wallet' | 'daemon') => {
    expect([res.status, res.body.error?.code, res.body.error?.details?.dependency], JSON.stringify(res.body)).toEqual([
      503,
      'dependency_unavailable',
      dependency,
    ]);
    expect(res.headers.get('retry-after')).toBe('2');
  };
  const withdrawalRows = async (key: string) =>
    Number((await one<{ n: string }>(stack.db, 'SELECT count(*) AS n FROM wallet.withdrawals WHERE idempotency_key = $1', [key])).n);
  /** Polls `path` until it answers 2xx; every other answer must be a 503 naming `dependency`. Returns ms to the first 2xx. */
  const timeToFirst2xx = async (t0: number, dependency: 'wallet' | 'daemon', send: () => Promise<ApiResponse>) => {
    for (;;) {
      const res = await send();
      if (res.status < 300) return Date.now() - t0;
      expectDependency503(res, dependency);
      if (Date.now() - t0 > 60_000) throw new Error('no recovery within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    const t0 = Date.now();
    const step = (what: string) => console.info(`[wallet outage] ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    stack = await startTestStack({
      services: ['login', 'transactions', 'wallet-manager'],
      env: {
        MONERO_MODE: 'managed',
        DEV_AUTO_MINE_SECONDS: '1',
        DEV_CALLS_PER_MINUTE: '1000',
        DEPOSIT_CONFIRMATIONS: '1',
        WITHDRAWAL_CONFIRMATIONS: '2',
        DEPOSIT_POLL_MS: '200',
        WITHDRAWAL_POLL_MS: '200',
        WALLET_RPC_REQUEST_TIMEOUT_MS: String(BUDGET_MS),
      },
    });
    step('stack with chain up');
    const service = stack.running.services.find((s) => s.name === 'wallet-manager') as WalletManagerService;
    chain = service.devChain()!;
    [outside, alice, admin] = await Promise.all([
      startOutsideWallet(chain),
      stack.newUser('alice'),
      stack.newUser('admin').then((u) => stack.grantRole(u, 'admin')),
    ]);
    step('outside wallet and users ready');
    const { body } = await stack.request('GET', '/wallet/deposit-address', undefined, { token: alice.token });
    // Straight from the faucet wallet (the /dev/faucet route is not what is tested here, and on a
    // busy machine it can outlast the gateway's timeout).
    await chain.faucet(body.address, parseXmr('40'), { confirmations: 1 });
    step('faucet paid');
    await waitFor(
      'alice credited',
      () => balanceOf(stack, alice),
      (b) => parseXmr(b.available) >= parseXmr('40'),
    );
    step('deposit credited');
  }, 400_000);

  afterAll(async () => {
    console.info(`FAULT_RECOVERY ${JSON.stringify({ test: 'wallet-outage', recovery_ms: measured })}`);
    await outside?.handle.stop();
    await stack?.close();
  });

  it('/dev/mine while the auto-miner mines: every call 200, each on its own height', async () => {
    const results = await Promise.all(
      Array.from({ length: 3 }, () => stack.request('POST', '/dev/mine', { blocks: 1 }, { token: alice.token })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const heights = results.map((r) => r.body.height as number);
    expect(new Set(heights).size).toBe(3);
  });

  it('wallet-rpc frozen (SIGSTOP): 503 naming the wallet within the budget, nothing queued; after SIGCONT the retry is paid exactly once', async () => {
    const bob = await stack.newUser('bob');
    const pid = chain.hotRpc.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      let t0 = Date.now();
      const refused = await withdraw('frozen-1', '1');
      measured.sigstop_withdrawal_503_ms = Date.now() - t0;
      expectDependency503(refused, 'wallet');
      expect(measured.sigstop_withdrawal_503_ms).toBeLessThan(BUDGET_MS + 2500);

      t0 = Date.now();
      const address = await stack.request('GET', '/wallet/deposit-address', undefined, { token: bob.token });
      measured.sigstop_deposit_address_503_ms = Date.now() - t0;
      expectDependency503(address, 'wallet');
      expect(measured.sigstop_deposit_address_503_ms).toBeLessThan(BUDGET_MS + 2500);

      const ready = await wm('/readyz');
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.wallet).toMatch(/^failing/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Whatever the frozen wallet-rpc still had in its socket runs now: it must not queue anything.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await withdrawalRows('frozen-1')).toBe(0);
    expect(parseXmr((await balanceOf(stack, alice)).held)).toBe(0n);
    expect((await stack.request('GET', '/wallet/deposit-address', undefined, { token: bob.token })).status).toBe(200);

    const retried = await withdrawUntilAccepted('frozen-1', '1');
    expect(retried.status).toBe(202);
    sent.push({ key: 'frozen-1', amount: '1' });
    await confirmed('the retried withdrawal confirmed', retried.body.id);
    expect(await withdrawalRows('frozen-1')).toBe(1);
  });

  it('wallet-rpc killed (SIGKILL): 503s naming the wallet, restarted by the supervisor, queued withdrawals paid exactly once', async () => {
    const queued = [];
    for (const [key, amount] of [
      ['killed-1', '0.5'],
      ['killed-2', '0.6'],
      ['killed-3', '0.7'],
    ] as const) {
      const res = await withdrawUntilAccepted(key, amount);
      expect(res.status).toBe(202);
      queued.push(res.body.id as string);
      sent.push({ key, amount });
    }
    const carol = await stack.newUser('carol');
    const t0 = Date.now();
    process.kill(chain.hotRpc.pid, 'SIGKILL');
    const status = await waitFor(
      'chain_problem',
      async () => (await stack.request('GET', '/admin/wallet/status', undefined, { token: admin.token })).body,
      (b) => b.chain_problem !== null,
      5000,
    );
    expect(status.chain_problem).toMatch(/hot wallet's monero-wallet-rpc is down \(exited with SIGKILL/);
    measured.sigkill_wallet_time_to_first_2xx_ms = await timeToFirst2xx(t0, 'wallet', () =>
      stack.request('GET', '/wallet/deposit-address', undefined, { token: carol.token }),
    );
    expect((await wm('/readyz')).status).toBe(200);
    expect((await stack.request('GET', '/admin/wallet/status', undefined, { token: admin.token })).body.chain_problem).toBeNull();
    const metrics = await (await wm('/metrics')).text();
    expect(metrics).toMatch(/pupero_chain_process_restarts_total\{[^}]*process="hot-wallet-rpc"[^}]*\} 1\b/);
    expect(metrics).toMatch(/pupero_chain_process_up\{[^}]*process="hot-wallet-rpc"[^}]*\} 1\b/);

    for (const id of queued) {
      await confirmed(`withdrawal ${id} confirmed`, id, 60_000);
    }
    measured.sigkill_wallet_withdrawals_confirmed_ms = Date.now() - t0;
  });

  it('monerod killed (SIGKILL): /wallet/sync answers 503 naming the daemon until the supervisor restarted it; a new withdrawal is paid', async () => {
    const t0 = Date.now();
    process.kill(chain.monerod.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 3500)); // past the sync cache
    measured.sigkill_monerod_time_to_first_2xx_ms = await timeToFirst2xx(t0, 'daemon', () => stack.request('GET', '/wallet/sync'));
    const res = await withdrawUntilAccepted('after-monerod', '0.8');
    expect(res.status).toBe(202);
    sent.push({ key: 'after-monerod', amount: '0.8' });
    await confirmed('withdrawal after the daemon restart confirmed', res.body.id, 90_000);
    measured.sigkill_monerod_withdrawal_confirmed_ms = Date.now() - t0;
  });

  it('every withdrawal was paid exactly once, and the ledger verifies', async () => {
    const list = (await stack.request('GET', '/wallet/withdrawals', undefined, { token: alice.token })).body.items as Array<{
      status: string;
      txid: string;
      amount: string;
    }>;
    expect(list.map((w) => w.status)).toEqual(sent.map(() => 'confirmed'));
    await outside.wallet.refresh();
    const received = (await outside.wallet.getTransfers({ in: true })).in.reduce((sum, t) => sum + t.amount, 0n);
    expect(received).toBe(sent.reduce((sum, w) => sum + parseXmr(w.amount), 0n));
    expect((await stack.request('GET', '/admin/ledger/verify', undefined, { token: admin.token })).body.ok).toBe(true);
  });
});
