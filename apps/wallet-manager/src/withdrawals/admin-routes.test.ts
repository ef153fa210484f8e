import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXmr, parseXmr } from '@pupero/money';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { fund, internalCall } from '@pupero/transactions/testing/helpers';
import { fakeAddress } from '../chain/fake-hot-wallet.js';

/** Operators' routes for stuck withdrawals, through the gateway (real services, MONERO_MODE=disabled). */
describe('admin: stuck withdrawals (through the gateway)', () => {
  let stack: TestStack;
  let owner: TestUser;
  let moderator: TestUser;
  let admin: TestUser;

  /** A withdrawal row as the worker would leave it, with a real ledger hold behind it. */
  async function withdrawal(o: { status: 'queued' | 'signed' | 'confirmed'; attempts?: number; relayFailures?: number }) {
    const id = randomUUID();
    const hold = await internalCall(stack, 'POST', '/internal/ledger/withdrawals/hold', {
      withdrawal_id: id,
      user_id: owner.id,
      amount: '1',
      fee: '0.01',
    });
    expect(hold.status).toBe(200);
    let batchId: string | null = null;
    if (o.status !== 'queued') {
      batchId = randomUUID();
      await stack.db.query(
        `INSERT INTO wallet.withdrawal_batches (id, tx_hash, tx_metadata, key_images, total_amount, network_fee, status, relay_failures)
         VALUES ($1, $2, 'meta', '["ki"]', 1000000000000, 1000, $3, $4)`,
        [batchId, randomUUID().replace(/-/g, ''), o.status, o.relayFailures ?? 0],
      );
    }
    await stack.db.query(
      `INSERT INTO wallet.withdrawals (id, user_id, address, amount, fee, status, idempotency_key, request_hash, batch_id, attempts, last_error)
       VALUES ($1, $2, $3, 1000000000000, 10000000000, $4, $5, 'h', $6, $7, $8)`,
      [id, owner.id, fakeAddress('dest'), o.status, id, batchId, o.attempts ?? 0, o.attempts ? 'wallet unavailable: refused' : null],
    );
    return id;
  }

  /** An operator's retry or fail of a withdrawal, through the gateway. */
  const act = (user: TestUser, action: 'retry' | 'fail', id: string, body: { reason?: string }) =>
    stack.request('POST', `/admin/wallet/withdrawals/${id}/${action}`, body, { token: user.token });

  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'transactions', 'wallet-manager'] });
    owner = await stack.newUser('wdowner');
    moderator = await stack.grantRole(await stack.newUser('wdmod'), 'moderator');
    admin = await stack.grantRole(await stack.newUser('wdadmin'), 'admin');
    await fund(stack, owner, '10');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists stuck withdrawals to staff only', async () => {
    const stuck = await withdrawal({ status: 'queued', attempts: 2 });
    const fresh = await withdrawal({ status: 'queued' });
    expect((await stack.request('GET', '/admin/wallet/withdrawals/stuck', undefined, { token: owner.token })).status).toBe(403);
    const res = await stack.request('GET', '/admin/wallet/withdrawals/stuck', undefined, { token: moderator.token });
    expect(res.status).toBe(200);
    const ids = res.body.items.map((w: { id: string }) => w.id);
    expect(ids).toContain(stuck);
    expect(ids).not.toContain(fresh);
    expect(res.body.items.find((w: { id: string }) => w.id === stuck)).toMatchObject({
      status: 'queued',
      attempts: 2,
      last_error: 'wallet unavailable: refused',
      amount: '1',
    });
  });

  it('retries and fails a queued withdrawal (admin only, reason required), audited, hold released, reason shown to the user', async () => {
    const id = await withdrawal({ status: 'queued', attempts: 3 });
    const before = (await stack.request('GET', '/balance', undefined, { token: owner.token })).body;

    expect((await act(moderator, 'retry', id, { reason: 'daemon fixed' })).status).toBe(403);
    const noReason = await act(admin, 'retry', id, {});
    expect(noReason.status).toBe(400);

    const retried = await act(admin, 'retry', id, { reason: 'daemon fixed' });
    expect(retried.status).toBe(200);
    expect(retried.body.withdrawal).toMatchObject({ id, status: 'queued', attempts: 0, next_attempt_at: null });

    const failed = await act(admin, 'fail', id, { reason: 'Destination exchange is closed.' });
    expect(failed.status).toBe(200);
    expect(failed.body.withdrawal).toMatchObject({
      status: 'failed',
      failure_reason: expect.stringMatching(/^Cancelled by Pupero support: Destination exchange is closed\./),
    });
    const after = (await stack.request('GET', '/balance', undefined, { token: owner.token })).body;
    expect(after.available).toBe(formatXmr(parseXmr(before.available) + parseXmr('1.01')));
    expect(after.held).toBe(formatXmr(parseXmr(before.held) - parseXmr('1.01')));

    const mine = await stack.request('GET', `/wallet/withdrawals/${id}`, undefined, { token: owner.token });
    expect(mine.body).toMatchObject({ status: 'failed', failure_reason: failed.body.withdrawal.failure_reason });

    // Failing it again, or a confirmed one, is refused and changes nothing.
    const again = await act(admin, 'fail', id, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('withdrawal_not_failable');
    const done = await withdrawal({ status: 'confirmed' });
    expect((await act(admin, 'fail', done, { reason: 'not this one' })).body.error.code).toBe('withdrawal_not_failable');
    expect((await act(admin, 'retry', done, { reason: 'not this one' })).body.error.code).toBe('withdrawal_not_retryable');
    expect((await act(admin, 'fail', randomUUID(), { reason: 'none' })).status).toBe(404);

    const audit = await stack.request('GET', `/admin/wallet/withdrawals/actions?withdrawal_id=${id}`, undefined, {
      token: moderator.token,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'fail',
        actor_id: admin.id,
        reason: 'Destination exchange is closed.',
        status_before: 'queued',
        outcome: expect.stringMatching(/^failed/),
      }),
      expect.objectContaining({
        action: 'retry',
        actor_id: admin.id,
        reason: 'daemon fixed',
        status_before: 'queued',
        created_at: expect.any(String),
      }),
    ]);
  });

  it('failing a signed withdrawal invalidates its transaction instead of releasing the hold at once', async () => {
    const id = await withdrawal({ status: 'signed', relayFailures: 2 });
    const res = await act(admin, 'fail', id, { reason: 'The daemon refuses it.' });
    expect(res.status).toBe(200);
    expect(res.body.withdrawal).toMatchObject({ status: 'signed', transaction_status: 'invalidating' });
    expect(res.body.outcome).toMatch(/never be relayed/);
    const { rows } = await stack.db.query<{ tx_metadata: string }>(
      'SELECT b.tx_metadata FROM wallet.withdrawal_batches b JOIN wallet.withdrawals w ON w.batch_id = b.id WHERE w.id = $1',
      [id],
    );
    expect(rows[0]?.tx_metadata).toBe(''); // nothing left that we could relay
    const hold = await stack.db.query<{ status: string }>('SELECT status FROM transactions.withdrawal_holds WHERE withdrawal_id = $1', [
      id,
    ]);
    expect(hold.rows[0]?.status).toBe('held');
    const list = await stack.request('GET', '/admin/wallet/withdrawals/stuck', undefined, { token: admin.token });
    expect(list.body.items.find((w: { id: string }) => w.id === id)).toMatchObject({ transaction_status: 'invalidating' });
  });
});
