import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';

/** The stack without a chain (MONERO_MODE=disabled, the test-stack default): clear 503s, history still readable. */
describe('wallet manager with MONERO_MODE=disabled', () => {
  let stack: TestStack;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'transactions', 'wallet-manager'] });
    user = await stack.newUser('nochain');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 503 wallet_unavailable saying how to turn Monero on', async () => {
    for (const [method, path, body] of [
      ['GET', '/wallet/deposit-address'],
      ['POST', '/wallet/withdrawals', { address: '4'.padEnd(95, 'A'), amount: '1' }],
      ['GET', '/wallet/withdrawal-fee'],
    ] as const) {
      const res = await stack.request(method, path, body, { token: user.token, headers: { 'idempotency-key': 'k1' } });
      expect(res.status, path).toBe(503);
      expect(res.body.error.code).toBe('wallet_unavailable');
      expect(res.body.error.message).toMatch(/MONERO_MODE=managed.*apt-get install monero/);
    }
  });

  it('still lists (empty) history and reports zero pending deposits to the ledger', async () => {
    expect((await stack.request('GET', '/wallet/deposits', undefined, { token: user.token })).body).toEqual({
      items: [],
      sync_message: null,
    });
    expect((await stack.request('GET', '/wallet/withdrawals', undefined, { token: user.token })).body).toEqual({
      items: [],
      sync_message: null,
    });
    // No node at all: the sync status is unavailable, like every chain route.
    const sync = await stack.request('GET', '/wallet/sync');
    expect(sync.status).toBe(503);
    expect(sync.body.error.code).toBe('wallet_unavailable');
    const balance = await stack.request('GET', '/balance', undefined, { token: user.token });
    expect(balance.status).toBe(200);
    expect(balance.body.pending_deposits).toBe('0');
  });

  it('guards every route: login, admin role, service token', async () => {
    expect((await stack.request('GET', '/wallet/deposits')).status).toBe(401);
    expect((await stack.request('GET', '/admin/reconciliation', undefined, { token: user.token })).status).toBe(403);
    const internal = `http://127.0.0.1:${stack.common.ports.walletManager}/internal/deposits/pending?user_id=${user.id}`;
    expect((await fetch(internal)).status).toBe(403);
    const ok = await fetch(internal, { headers: { 'x-service-token': stack.common.serviceToken } });
    expect(await ok.json()).toEqual({ user_id: user.id, pending: '0' });
    expect((await stack.request('GET', `/internal/deposits/pending?user_id=${user.id}`)).status).toBe(404);
  });

  it('validates withdrawal requests before anything else', async () => {
    const noKey = await stack.request('POST', '/wallet/withdrawals', { address: 'x', amount: '1' }, { token: user.token });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('idempotency_key_required');
    const extra = await stack.request(
      'POST',
      '/wallet/withdrawals',
      { address: 'x', amount: '1', memo: 'hi' },
      { token: user.token, headers: { 'idempotency-key': 'k' } },
    );
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_failed');
    const badAmount = await stack.request(
      'POST',
      '/wallet/withdrawals',
      { address: 'x', amount: '0.0000000000001' },
      { token: user.token, headers: { 'idempotency-key': 'k' } },
    );
    expect(badAmount.status).toBe(400);
    const notMine = await stack.request('GET', '/wallet/withdrawals/00000000-0000-0000-0000-000000000000', undefined, {
      token: user.token,
    });
    expect(notMine.status).toBe(404);
    expect(notMine.body.error.code).toBe('withdrawal_not_found');
  });

  it('exposes its metrics and documents its routes', async () => {
    const metrics = await fetch(`http://127.0.0.1:${stack.common.ports.walletManager}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pupero_wallet_reconciliation_ok\{service="wallet-manager"\} -1/);
    expect(metrics).toMatch(/pupero_wallet_deposits_credited_total/);
    for (const name of [
      'pupero_wallet_withdrawals_stuck',
      'pupero_wallet_withdrawal_oldest_queued_seconds',
      'pupero_wallet_withdrawal_oldest_signed_seconds',
    ]) {
      expect(metrics).toMatch(new RegExp(`^${name}\\{service="wallet-manager"\\} 0$`, 'm'));
    }
    const doc = await stack.request('GET', '/openapi.json');
    for (const path of [
      '/wallet/deposit-address',
      '/wallet/deposits',
      '/wallet/withdrawals',
      '/wallet/withdrawals/{id}',
      '/admin/reconciliation',
      '/dev/faucet',
      '/dev/mine',
      '/admin/wallet/withdrawals/stuck',
      '/admin/wallet/withdrawals/actions',
      '/admin/wallet/withdrawals/{id}/retry',
      '/admin/wallet/withdrawals/{id}/fail',
    ]) {
      expect(doc.body.paths[path], path).toBeDefined();
    }
  });
});
