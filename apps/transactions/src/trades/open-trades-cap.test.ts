import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { testDbKind } from '@pupero/db/testing';
import { balanceOf, createOffer, expectLedgerOk, fund, startTrade } from '../testing/helpers.js';

describe(`a taker's open trades are capped (${testDbKind()})`, () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'offers', 'transactions'], env: { MAX_OPEN_TRADES_PER_TAKER: '2' } });
    admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
  });
  afterAll(async () => stack?.close());

  it('refuses the third open trade, even when started all at once, and holds nothing for it', async () => {
    const seller = await stack.newUser('seller');
    const taker = await stack.newUser('taker');
    await fund(stack, seller, '10');
    const offer = await createOffer(stack, seller, { min_amount: '0.1', max_amount: '1' });

    const results = await Promise.all(Array.from({ length: 6 }, () => startTrade(stack, taker, offer.id, '0.5')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([409, 'too_many_open_trades']));
    expect(refused[0]?.body.error.details).toEqual({ open_trades: 2, max_open_trades: 2 });
    expect(await balanceOf(stack, seller)).toMatchObject({ available: '9', held: '1' });

    // Finishing one frees a place.
    const first = results.find((r) => r.status === 201)!.body;
    expect((await stack.request('POST', `/trades/${first.id}/cancel`, undefined, { token: taker.token })).status).toBe(200);
    expect((await startTrade(stack, taker, offer.id, '0.5')).status).toBe(201);
    await expectLedgerOk(stack, admin);
  });
});
