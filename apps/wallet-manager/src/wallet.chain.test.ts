import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXmr, parseXmr } from '@pupero/money';
import type { WalletRpc, WalletRpcHandle } from '@pupero/monero';
import { spawnScript, startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import type { WalletManagerService } from './index.js';
import { balanceOf, enableTwoFactor, startOutsideWallet, waitFor } from './testing/chain-helpers.js';

const CONFIRMATIONS = 10;

/**
 * The wallet manager on a REAL regtest chain that it starts itself (MONERO_MODE=managed):
 * monerod + the hot wallet-rpc + the faucet wallet-rpc, plus a second wallet-rpc started here
 * playing an outside user's wallet.
 */
describe('wallet manager on a real regtest chain', { timeout: 180_000 }, () => {
  let stack: TestStack;
  let service: WalletManagerService;
  let outside: { wallet: WalletRpc; address: string; handle: WalletRpcHandle };
  let alice: TestUser;
  let admin: TestUser;
  const timings: Record<string, number> = {};

  const get = (path: string, user: TestUser) => stack.request('GET', path, undefined, { token: user.token });
  const withdraw = (user: TestUser, key: string, body: Record<string, unknown>) =>
    stack.request('POST', '/wallet/withdrawals', body, { token: user.token, headers: { 'idempotency-key': key } });
  const mine = async (blocks: number) => {
    const res = await stack.request('POST', '/dev/mine', { blocks }, { token: alice.token });
    expect(res.status).toBe(200);
    return res.body.height as number;
  };

  beforeAll(async () => {
    const t0 = Date.now();
    stack = await startTestStack({
      services: ['login', 'transactions', 'wallet-manager'],
      env: {
        MONERO_MODE: 'managed',
        DEV_AUTO_MINE_SECONDS: '0',
        DEV_CALLS_PER_MINUTE: '1000',
        DEPOSIT_CONFIRMATIONS: String(CONFIRMATIONS),
        WITHDRAWAL_CONFIRMATIONS: String(CONFIRMATIONS),
        DEPOSIT_POLL_MS: '200',
        WITHDRAWAL_POLL_MS: '200',
        // The periodic check runs alongside everything below; it must never see a false shortfall.
        RECONCILIATION_INTERVAL_SECONDS: '1',
      },
    });
    timings.stack_with_chain_ms = Date.now() - t0;
    service = stack.running.services.find((s) => s.name === 'wallet-manager') as WalletManagerService;
    const t1 = Date.now();
    const [started, users] = await Promise.all([
      startOutsideWallet(service.devChain()!).then((w) => ((timings.outside_wallet_ms = Date.now() - t1), w)),
      Promise.all([stack.newUser('alice'), stack.newUser('admin').then((u) => stack.grantRole(u, 'admin'))]),
    ]);
    outside = started;
    [alice, admin] = users;
  }, 300_000);

  afterAll(async () => {
    console.info('wallet chain test timings (ms):', timings);
    await outside?.handle.stop();
    await stack?.close();
  });

  it('the dev faucet and mine endpoints need a login and mine at most DEV_MINE_MAX_BLOCKS (20) per call', async () => {
    const anonymousFaucet = await stack.request('POST', '/dev/faucet', { address: outside.address, amount: '20' });
    expect([anonymousFaucet.status, anonymousFaucet.body.error.code]).toEqual([401, 'authentication_required']);
    const anonymousMine = await stack.request('POST', '/dev/mine', { blocks: 1 });
    expect([anonymousMine.status, anonymousMine.body.error.code]).toEqual([401, 'authentication_required']);
    const tooMany = await stack.request('POST', '/dev/mine', { blocks: 21 }, { token: alice.token });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'too_many_blocks']);
    await outside.wallet.refresh();
    expect((await outside.wallet.getBalance()).balance).toBe(0n);
  });

  it('funds the outside wallet through the dev faucet and mine endpoints', async () => {
    const faucet = await stack.request('POST', '/dev/faucet', { address: outside.address, amount: '20' }, { token: alice.token });
    expect(faucet.status).toBe(200);
    expect(faucet.body.txid).toMatch(/^[0-9a-f]{64}$/);
    await mine(10); // received outputs unlock after 10 blocks
    await outside.wallet.refresh();
    expect((await outside.wallet.getBalance()).unlocked_balance).toBe(parseXmr('20'));
  });

  it('npm run faucet logs in with an account of its own (kept in DATA_DIR) and mines through the gateway', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'faucet-cli-'));
    try {
      const cli = fileURLToPath(new URL('./cli/faucet.ts', import.meta.url));
      const run = async () => {
        const child = spawnScript(cli, ['--mine', '1'], { GATEWAY_PUBLIC_URL: stack.url, DATA_DIR: dataDir });
        const exit = await child.exited;
        expect(exit.code, child.output()).toBe(0);
        expect(child.output()).toMatch(/mined 1 block\(s\); chain height \d+/);
        return JSON.parse(await readFile(join(dataDir, 'faucet-cli-account.json'), 'utf8')).username as string;
      };
      const account = await run();
      expect(await run()).toBe(account); // the second run logs in with the same account
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('credits a deposit once, after exactly the configured confirmations', async () => {
    const first = await get('/wallet/deposit-address', alice);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ network: 'regtest', required_confirmations: CONFIRMATIONS });
    expect((await get('/wallet/deposit-address', alice)).body.address).toBe(first.body.address);
    expect((await service.devChain()!.hot.validateAddress(first.body.address)).subaddress).toBe(true);

    const sent = Date.now();
    const tx = await outside.wallet.transfer({ destinations: [{ address: first.body.address, amount: parseXmr('5') }] });
    const seen = await waitFor(
      'the deposit in the pool',
      () => get('/wallet/deposits', alice),
      (r) => r.body.items.length === 1,
    );
    timings.deposit_seen_in_pool_ms = Date.now() - sent;
    expect(seen.body.items[0]).toMatchObject({
      txid: tx.tx_hash,
      amount: '5',
      confirmations: 0,
      required_confirmations: CONFIRMATIONS,
      status: 'pending',
      block_height: null,
    });
    expect((await balanceOf(stack, alice)).pending_deposits).toBe('5');

    await mine(CONFIRMATIONS - 1);
    const almost = await waitFor(
      'N-1 confirmations',
      () => get('/wallet/deposits', alice),
      (r) => r.body.items[0]?.confirmations === CONFIRMATIONS - 1,
    );
    expect(almost.body.items[0].status).toBe('pending');
    expect(await balanceOf(stack, alice)).toMatchObject({ available: '0', pending_deposits: '5' });

    const lastBlock = Date.now();
    await mine(1);
    const credited = await waitFor(
      'the credit',
      () => get('/wallet/deposits', alice),
      (r) => r.body.items[0]?.status === 'credited',
    );
    timings.deposit_credit_after_nth_block_ms = Date.now() - lastBlock;
    expect(credited.body.items[0]).toMatchObject({ txid: tx.tx_hash, amount: '5', confirmations: CONFIRMATIONS });
    expect(await balanceOf(stack, alice)).toMatchObject({ available: '5', held: '0', pending_deposits: '0' });

    await mine(3);
    await waitFor(
      'a later scan',
      () => get('/wallet/deposits', alice),
      (r) => r.body.items[0]?.confirmations >= CONFIRMATIONS + 3,
    );
    expect((await balanceOf(stack, alice)).available).toBe('5');
    const history = await get('/balance/history', alice);
    expect(JSON.stringify(history.body)).toContain(tx.tx_hash);
  });

  it('refuses insufficient funds, bad addresses and reused keys with nothing held', async () => {
    const fee = (await get('/wallet/withdrawal-fee', alice)).body.fee as string;
    expect(parseXmr(fee)).toBeGreaterThan(0n);
    const tooMuch = await withdraw(alice, 'too-much', { address: outside.address, amount: '5' }); // 5 + fee > 5
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('insufficient_funds');

    const integrated = (await outside.wallet.makeIntegratedAddress()).integrated_address;
    const own = (await get('/wallet/deposit-address', alice)).body.address;
    const testnet = '9wviCeWe2D8XS82k2ovp5EUYLzBt9pYNW2LXUFsZiv8S3Mt21FZ5qQaAroko1enzw3eGr9qC7X1D7Geoo2RrAotYPwq9Gm8';
    const broken = outside.address.slice(0, -1) + (outside.address.endsWith('A') ? 'B' : 'A');
    for (const [address, why] of [
      ['nonsense', /not a Monero address/],
      [testnet, /testnet-network/],
      [integrated, /Integrated/],
      [own, /own wallet/],
      [broken, /not a valid/],
    ] as const) {
      const res = await withdraw(alice, `bad-${address.slice(0, 12)}`, { address, amount: '1' });
      expect(res.status, address).toBe(400);
      expect(res.body.error.code).toBe('invalid_address');
      expect(res.body.error.message).toMatch(why);
    }
    expect(await balanceOf(stack, alice)).toMatchObject({ available: '5', held: '0' });
    expect((await get('/wallet/withdrawals', alice)).body.items).toEqual([]);
  });

  it('sends a withdrawal to the outside wallet: queued, broadcast, confirmed after N, ledger finalised', async () => {
    const requested = Date.now();
    const res = await withdraw(alice, 'w-1', { address: outside.address, amount: '1.25' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', amount: '1.25', address: outside.address });
    const replay = await withdraw(alice, 'w-1', { address: outside.address, amount: '1.25' });
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(res.body.id);
    const reused = await withdraw(alice, 'w-1', { address: outside.address, amount: '1.5' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const afterHold = parseXmr('5') - parseXmr('1.25') - parseXmr(res.body.fee);
    expect(await balanceOf(stack, alice)).toMatchObject({
      available: formatXmr(afterHold),
      held: formatXmr(parseXmr('1.25') + parseXmr(res.body.fee)),
    });

    const broadcast = await waitFor(
      'broadcast',
      () => get(`/wallet/withdrawals/${res.body.id}`, alice),
      (r) => r.body.status === 'broadcast',
    );
    timings.withdrawal_request_to_broadcast_ms = Date.now() - requested;
    expect(broadcast.body.txid).toMatch(/^[0-9a-f]{64}$/);
    await mine(CONFIRMATIONS - 1);
    const tracked = await waitFor(
      'N-1 confirmations',
      () => get(`/wallet/withdrawals/${res.body.id}`, alice),
      (r) => r.body.confirmations === CONFIRMATIONS - 1,
    );
    expect(tracked.body.status).toBe('broadcast');
    await mine(1);
    const confirmed = await waitFor(
      'confirmed',
      () => get(`/wallet/withdrawals/${res.body.id}`, alice),
      (r) => r.body.status === 'confirmed',
    );
    timings.withdrawal_end_to_end_ms = Date.now() - requested;
    expect(confirmed.body).toMatchObject({ txid: broadcast.body.txid, confirmations: CONFIRMATIONS });
    expect(await balanceOf(stack, alice)).toMatchObject({ available: formatXmr(afterHold), held: '0' });

    await outside.wallet.refresh();
    const incoming = (await outside.wallet.getTransfers({ in: true })).in.filter((t) => t.txid === broadcast.body.txid);
    expect(incoming).toHaveLength(1);
    expect(incoming[0]?.amount).toBe(parseXmr('1.25'));
  });

  it('requires 2FA when it is on, and batches withdrawals that wait for locked change into one transaction', async () => {
    // The TOTP step used to enable 2FA cannot be used again: recovery codes are single-use codes too.
    const { recoveryCodes } = await enableTwoFactor(stack, alice);
    const missing = await withdraw(alice, 'w-2fa-missing', { address: outside.address, amount: '0.5' });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('two_factor_required');
    const wrong = await withdraw(alice, 'w-2fa-wrong', { address: outside.address, amount: '0.5', totp_code: '000000' });
    expect(wrong.status).toBe(401);
    const before = await balanceOf(stack, alice);
    expect(before.held).toBe('0');

    // First one now; its change is locked for 10 blocks, so the next two wait and go out together.
    const a = await withdraw(alice, 'w-2', { address: outside.address, amount: '0.5', totp_code: recoveryCodes[2] });
    expect(a.status).toBe(202);
    await waitFor(
      'broadcast',
      () => get(`/wallet/withdrawals/${a.body.id}`, alice),
      (r) => r.body.status === 'broadcast',
    );
    const b = await withdraw(alice, 'w-3', { address: outside.address, amount: '0.25', totp_code: recoveryCodes[0] });
    const c = await withdraw(alice, 'w-4', { address: outside.address, amount: '0.125', totp_code: recoveryCodes[1] });
    expect([b.status, c.status]).toEqual([202, 202]);
    await new Promise((r) => setTimeout(r, 600));
    expect((await get(`/wallet/withdrawals/${b.body.id}`, alice)).body.status).toBe('queued');

    await mine(CONFIRMATIONS);
    const [bb, cc] = await Promise.all(
      [b, c].map((w) =>
        waitFor(
          'batch broadcast',
          () => get(`/wallet/withdrawals/${w.body.id}`, alice),
          (r) => r.body.status === 'broadcast',
        ),
      ),
    );
    assert(bb && cc);
    expect(bb.body.txid).toBe(cc.body.txid);
    await mine(CONFIRMATIONS);
    for (const w of [a, b, c])
      await waitFor(
        'confirmed',
        () => get(`/wallet/withdrawals/${w.body.id}`, alice),
        (r) => r.body.status === 'confirmed',
      );
    await outside.wallet.refresh();
    const batchTx = (await outside.wallet.getTransfers({ in: true })).in.filter((t) => t.txid === bb.body.txid);
    expect(batchTx).toHaveLength(1);
    expect([...(batchTx[0]?.amounts ?? [])].sort()).toEqual([parseXmr('0.125'), parseXmr('0.25')].sort());
  });

  it('ends reconciled: one transaction per withdrawal, the ledger verifies, the difference is exactly fees minus network fees', async () => {
    const withdrawals = (await get('/wallet/withdrawals', alice)).body.items as Array<{ status: string; txid: string; fee: string }>;
    expect(withdrawals.map((w) => w.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    const hot = service.devChain()!.hot;
    await hot.refresh();
    const out = (await hot.getTransfers({ out: true })).out;
    expect(out.map((t) => t.txid).sort()).toEqual([...new Set(withdrawals.map((w) => w.txid))].sort());
    const networkFees = out.reduce((s, t) => s + t.fee, 0n);
    const userFees = withdrawals.reduce((s, w) => s + parseXmr(w.fee), 0n);

    const rec = await get('/admin/reconciliation', admin);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({
      ok: true,
      pending_deposits: '0',
      inflight_withdrawals: '0',
      difference: formatXmr(userFees - networkFees),
    });
    expect(parseXmr(rec.body.ledger_liabilities)).toBe(parseXmr((await balanceOf(stack, alice)).available));
    const verify = await get('/admin/ledger/verify', admin);
    expect(verify.body.ok).toBe(true);
    const metrics = await fetch(`http://127.0.0.1:${stack.common.ports.walletManager}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pupero_wallet_reconciliation_ok\{service="wallet-manager"\} 1/);
    expect(metrics).toMatch(/pupero_wallet_reconciliation_failures_total\{service="wallet-manager"\} 0/); // the periodic check never saw a shortfall
    expect(metrics).toMatch(/pupero_wallet_deposits_credited_total\{service="wallet-manager"\} 1/);
    expect(metrics).toMatch(/pupero_wallet_withdrawals\{status="confirmed",service="wallet-manager"\} 4/);
  });
});
