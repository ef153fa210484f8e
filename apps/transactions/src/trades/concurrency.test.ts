import { one } from '@pupero/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatXmr, parseXmr } from '@pupero/money';
import { testDbKind } from '@pupero/db/testing';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { balanceOf, createOffer, expectLedgerOk, fund, startTrade } from '../testing/helpers.js';

/**
 * The money under concurrency, through the gateway. On PGlite transactions are serialised; on
 * PostgreSQL (PUPERO_TEST_DB=postgres) they really run in parallel on a pool of connections, so
 * there these tests prove the row locks and the database CHECK.
 */
describe(`concurrency (${testDbKind()})`, () => {
  let stack: TestStack;
  let admin: TestUser;

  beforeAll(async () => {
    // Generous Offers and Login API timeouts (a release asks the Login API about 2FA): 200 requests
    // at once on a busy 2-core machine must not turn into 502s; these tests are about the money.
    // No cap on open trades per taker here: these tests want every refusal to be about the money.
    stack = await startTestStack({
      services: ['login', 'offers', 'transactions'],
      env: { OFFERS_TIMEOUT_MS: '30000', LOGIN_TIMEOUT_MS: '30000', MAX_OPEN_TRADES_PER_TAKER: '0' },
    });
    admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
  });
  afterEach(async () => expectLedgerOk(stack, admin));
  afterAll(async () => stack?.close());

  const count = async (sql: string, params: unknown[]) => Number((await one<{ n: bigint }>(stack.db, sql, params)).n);

  /** A seller funded with `funds`, an offer of theirs, and a buyer's trade of `amount` on it, marked paid. */
  async function paidTrade(funds: string, amount: string) {
    const seller = await stack.newUser('seller');
    const buyer = await stack.newUser('buyer');
    await fund(stack, seller, funds);
    const offer = await createOffer(stack, seller);
    const trade = (await startTrade(stack, buyer, offer.id, amount)).body;
    expect((await stack.request('POST', `/trades/${trade.id}/paid`, undefined, { token: buyer.token })).status).toBe(200);
    return { seller, buyer, trade };
  }

  it('50 concurrent "I received money" on one trade move the money once', async () => {
    const { seller, buyer, trade } = await paidTrade('2', '1.5');

    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => stack.request('POST', `/trades/${trade.id}/release`, undefined, { token: seller.token })),
    );
    const ms = performance.now() - t0;
    console.log(`[${testDbKind()}] 50 concurrent releases of one trade: ${ms.toFixed(0)} ms`);

    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('completed');
    }
    expect(await balanceOf(stack, buyer)).toMatchObject({ available: '1.5', held: '0' });
    expect(await balanceOf(stack, seller)).toMatchObject({ available: '0.5', held: '0' });
    expect(
      await count(`SELECT COUNT(*) AS n FROM transactions.journal_entries WHERE reference_type = 'trade' AND reference_id = $1`, [
        trade.id,
      ]),
    ).toBe(2);
    expect(await count(`SELECT COUNT(*) AS n FROM transactions.events WHERE trade_id = $1 AND type = 'trade_completed'`, [trade.id])).toBe(
      1,
    );
  });

  it('200 concurrent trade starts against a seller who covers only some never overdraw and hold exactly what succeeded', async () => {
    const seller = await stack.newUser('seller');
    const takers = await Promise.all(Array.from({ length: 4 }, (_, i) => stack.newUser(`taker${i}`)));
    await fund(stack, seller, '7.3');
    const offer = await createOffer(stack, seller, { min_amount: '0.01', max_amount: '1' });
    // Amounts from 0.05 to 0.149: together about 20 XMR, far more than the 7.3 available.
    const amounts = Array.from({ length: 200 }, (_, i) => formatXmr(parseXmr('0.05') + BigInt((i * 37) % 100) * 1_000_000_000n));

    const t0 = performance.now();
    const results = await Promise.all(amounts.map((amount, i) => startTrade(stack, takers[i % takers.length]!, offer.id, amount)));
    const ms = performance.now() - t0;

    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    console.log(
      `[${testDbKind()}] 200 concurrent trade starts: ${ms.toFixed(0)} ms (${((200 / ms) * 1000).toFixed(0)}/s), ${ok.length} succeeded`,
    );
    for (const r of refused) {
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.body.error.code).toBe('insufficient_funds');
    }
    expect(ok.length).toBeGreaterThan(40);
    expect(refused.length).toBeGreaterThan(0);

    const heldExpected = ok.reduce((sum, r) => sum + parseXmr(r.body.amount), 0n);
    const balance = await balanceOf(stack, seller);
    expect(parseXmr(balance.held)).toBe(heldExpected);
    expect(parseXmr(balance.available)).toBe(parseXmr('7.3') - heldExpected);
    // Every refusal was right: what is left is less than the smallest refused amount.
    const smallestRefused = refused.map((r) => parseXmr(amounts[results.indexOf(r)] ?? '')).reduce((a, b) => (a < b ? a : b));
    expect(parseXmr(balance.available) < smallestRefused).toBe(true);
    expect(await count(`SELECT COUNT(*) AS n FROM transactions.trades WHERE seller_id = $1`, [seller.id])).toBe(ok.length);

    // Each buyer marks paid, then the seller releases them all at once: every buyer gets exactly their amount.
    const byId = new Map(takers.map((t) => [t.id, t]));
    for (const r of ok)
      expect(
        (await stack.request('POST', `/trades/${r.body.id}/paid`, undefined, { token: byId.get(r.body.buyer.id)!.token })).status,
      ).toBe(200);
    const r0 = performance.now();
    const released = await Promise.all(
      ok.map((r) => stack.request('POST', `/trades/${r.body.id}/release`, undefined, { token: seller.token })),
    );
    const rms = performance.now() - r0;
    console.log(`[${testDbKind()}] ${ok.length} concurrent releases: ${rms.toFixed(0)} ms (${((ok.length / rms) * 1000).toFixed(0)}/s)`);
    const failed = released.filter((r) => r.status !== 200 || r.body.status !== 'completed');
    expect(failed.map((r) => [r.status, r.body?.error?.code ?? r.body?.status])).toEqual([]);
    const received = await Promise.all(takers.map((t) => balanceOf(stack, t)));
    expect(received.reduce((sum, b) => sum + parseXmr(b.available), 0n)).toBe(heldExpected);
    expect(await balanceOf(stack, seller)).toMatchObject({ held: '0', available: formatXmr(parseXmr('7.3') - heldExpected) });
  }, 180_000); // 400 requests through four services on a shared 2-core machine

  it('a dispute racing a release on one paid trade: exactly one wins and the money follows it', async () => {
    // Release needs a paid trade; there a dispute (buyer) and a release (seller) are both legal.
    const { seller, buyer, trade } = await paidTrade('1', '1');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? stack.request('POST', `/trades/${trade.id}/dispute`, { reason: 'no money arrived?' }, { token: buyer.token })
          : stack.request('POST', `/trades/${trade.id}/release`, undefined, { token: seller.token }),
      ),
    );
    for (const r of results) expect([200, 409]).toContain(r.status);
    const final = (await stack.request('GET', `/trades/${trade.id}`, undefined, { token: buyer.token })).body.status;
    expect(['completed', 'disputed']).toContain(final);
    const buyerBalance = await balanceOf(stack, buyer);
    const sellerBalance = await balanceOf(stack, seller);
    if (final === 'completed') {
      expect([buyerBalance.available, sellerBalance.available, sellerBalance.held]).toEqual(['1', '0', '0']);
    } else {
      // Disputed: the XMR stays held until a moderator decides.
      expect([buyerBalance.available, sellerBalance.available, sellerBalance.held]).toEqual(['0', '0', '1']);
    }
    // The losers were told the trade's real state.
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.details.status).toBe(final);
  });
});
