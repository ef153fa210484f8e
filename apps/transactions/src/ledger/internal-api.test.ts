import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseXmr } from '@pupero/money';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { balanceOf, expectLedgerOk, internalCall, randomTxid } from '../testing/helpers.js';

/** The internal ledger calls of docs/internal-api.md, over HTTP as the wallet manager makes them. */
describe('internal ledger API', () => {
  let stack: TestStack;
  let admin: TestUser;

  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'transactions'] });
    admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
  });
  afterEach(async () => expectLedgerOk(stack, admin));
  afterAll(async () => stack?.close());

  const call = (method: string, path: string, body?: unknown) => internalCall(stack, method, path, body);

  it('requires the service token and is never routed by the gateway', async () => {
    const body = { user_id: 'u1', txid: randomTxid(), output_key: '0', amount: '1' };
    for (const token of ['', 'wrong-token-wrong-token-wrong']) {
      const res = await internalCall(stack, 'POST', '/internal/ledger/deposits', body, token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('service_credential_required');
    }
    expect((await internalCall(stack, 'GET', '/internal/ledger/liabilities', undefined, 'nope')).status).toBe(403);
    expect((await internalCall(stack, 'GET', '/internal/reputation?user_ids=a', undefined, 'nope')).status).toBe(403);
    const viaGateway = await stack.request('POST', '/internal/ledger/deposits', body, {
      headers: { 'x-service-token': stack.common.serviceToken },
    });
    expect(viaGateway.status).toBe(404);
  });

  it('credits a deposit once per txid + output; a repeat returns the first entry with created: false', async () => {
    const user = await stack.newUser('dep');
    const body = { user_id: user.id, txid: randomTxid(), output_key: '7', amount: '0.123456789012' };
    const first = await call('POST', '/internal/ledger/deposits', body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ entry_id: expect.stringMatching(/^\d+$/), created: true });
    const again = await call('POST', '/internal/ledger/deposits', body);
    expect(again.body).toEqual({ entry_id: first.body.entry_id, created: false });
    const parallel = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/internal/ledger/deposits', body)));
    expect(parallel.every((r) => r.status === 200 && r.body.entry_id === first.body.entry_id && r.body.created === false)).toBe(true);
    expect(await balanceOf(stack, user)).toMatchObject({ available: '0.123456789012', held: '0' });
    const reused = await call('POST', '/internal/ledger/deposits', { ...body, amount: '5' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const history = await stack.request('GET', '/balance/history', undefined, { token: user.token });
    expect(history.body.items).toEqual([
      expect.objectContaining({
        kind: 'deposit',
        reference: { type: 'deposit', id: `${body.txid}:7` },
        changes: { available: '0.123456789012', held: '0' },
      }),
    ]);
  });

  it('validates bodies strictly', async () => {
    const bad = [
      { user_id: 'u', txid: 't', output_key: '0', amount: '0' },
      { user_id: 'u', txid: 't', output_key: '0', amount: '-1' },
      { user_id: 'u', txid: 't', output_key: '0', amount: 1 },
      { user_id: 'u', txid: 't', output_key: '0', amount: '9223372.036854775808' },
      { user_id: 'u', txid: 't', output_key: '0', amount: '1', extra: 1 },
      { user_id: 'u u', txid: 't', output_key: '0', amount: '1' },
      { txid: 't', output_key: '0', amount: '1' },
    ];
    for (const body of bad) expect((await call('POST', '/internal/ledger/deposits', body)).status, JSON.stringify(body)).toBe(400);
    expect((await call('POST', '/internal/ledger/withdrawals/hold', { withdrawal_id: 'w', user_id: 'u', amount: '1' })).status).toBe(400);
    expect(
      (await call('POST', '/internal/ledger/withdrawals/finalise', { withdrawal_id: 'w', user_id: 'u', network_fee: '-0.1' })).status,
    ).toBe(400);
    expect(
      (await call('POST', '/internal/ledger/withdrawals/hold', { withdrawal_id: 'w', user_id: 'u', amount: '1', fee: '9999999999999' }))
        .status,
    ).toBe(400);
  });

  it('holds, finalises and releases withdrawals idempotently; liabilities follow', async () => {
    const user = await stack.newUser('wd');
    await call('POST', '/internal/ledger/deposits', { user_id: user.id, txid: randomTxid(), output_key: '0', amount: '2' });
    const before = (await call('GET', '/internal/ledger/liabilities')).body;

    const holdBody = { withdrawal_id: `w1-${user.id}`, user_id: user.id, amount: '1', fee: '0.01' };
    const hold = await call('POST', '/internal/ledger/withdrawals/hold', holdBody);
    expect(hold.status).toBe(200);
    expect(hold.body.created).toBe(true);
    expect((await call('POST', '/internal/ledger/withdrawals/hold', holdBody)).body).toEqual({
      entry_id: hold.body.entry_id,
      created: false,
    });
    expect(await balanceOf(stack, user)).toMatchObject({ available: '0.99', held: '1.01' });
    expect((await call('GET', `/internal/ledger/balances/${user.id}`)).body).toEqual({ user_id: user.id, available: '0.99', held: '1.01' });

    const tooMuch = await call('POST', '/internal/ledger/withdrawals/hold', {
      withdrawal_id: `w2-${user.id}`,
      user_id: user.id,
      amount: '1',
      fee: '0',
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('insufficient_funds');

    const finBody = { withdrawal_id: `w1-${user.id}`, user_id: user.id, network_fee: '0.0001' };
    const fin = await call('POST', '/internal/ledger/withdrawals/finalise', finBody);
    expect(fin.body.created).toBe(true);
    expect((await call('POST', '/internal/ledger/withdrawals/finalise', finBody)).body).toEqual({
      entry_id: fin.body.entry_id,
      created: false,
    });
    const late = await call('POST', '/internal/ledger/withdrawals/release', { withdrawal_id: `w1-${user.id}`, user_id: user.id });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('withdrawal_already_finalised');
    expect(await balanceOf(stack, user)).toMatchObject({ available: '0.99', held: '0' });

    const after = (await call('GET', '/internal/ledger/liabilities')).body;
    expect(parseXmr(before.total) - parseXmr(after.total)).toBe(parseXmr('1.01')); // amount + fee left the users' books
    expect(after).toEqual({ user_available: expect.any(String), user_held: expect.any(String), total: expect.any(String) });

    const w3 = { withdrawal_id: `w3-${user.id}`, user_id: user.id, amount: '0.5', fee: '0' };
    await call('POST', '/internal/ledger/withdrawals/hold', w3);
    const rel = await call('POST', '/internal/ledger/withdrawals/release', { withdrawal_id: w3.withdrawal_id, user_id: user.id });
    expect(rel.body.created).toBe(true);
    expect(
      (await call('POST', '/internal/ledger/withdrawals/release', { withdrawal_id: w3.withdrawal_id, user_id: user.id })).body.created,
    ).toBe(false);
    expect(
      (await call('POST', '/internal/ledger/withdrawals/finalise', { withdrawal_id: w3.withdrawal_id, user_id: user.id, network_fee: '0' }))
        .status,
    ).toBe(409);
    expect((await call('POST', '/internal/ledger/withdrawals/release', { withdrawal_id: 'unknown', user_id: user.id })).status).toBe(404);
    expect(await balanceOf(stack, user)).toMatchObject({ available: '0.99', held: '0' });
  });

  it('answers reputation for a batch of users, zero for strangers', async () => {
    const res = await call('GET', '/internal/reputation?user_ids=a,b,a');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: {
        a: { completed_trades: 0, volume: '0', feedback: { positive: 0, neutral: 0, negative: 0 } },
        b: { completed_trades: 0, volume: '0', feedback: { positive: 0, neutral: 0, negative: 0 } },
      },
    });
    expect((await call('GET', '/internal/reputation')).status).toBe(400);
    expect((await call('GET', `/internal/reputation?user_ids=${Array.from({ length: 201 }, (_, i) => `u${i}`).join(',')}`)).status).toBe(
      400,
    );
  });
});
