import { one } from '@pupero/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack, TestUser } from '@pupero/stack/testing';
import { balanceOf, createOffer, expectLedgerOk, expireWindow, fund, startTrade, startTradesStack } from '../testing/helpers.js';

/**
 * The Trades rows of API.md through the gateway, against the real Login and Offers APIs.
 * A 1 % platform fee is configured here so every money move shows where the fee goes.
 */
describe('trades API', () => {
  let stack: TestStack;
  let admin: TestUser;
  let moderator: TestUser;

  beforeAll(async () => {
    ({ stack, admin, moderator } = await startTradesStack());
  });
  afterEach(async () => expectLedgerOk(stack, admin));
  afterAll(async () => stack?.close());

  const post = (path: string, user: TestUser, body?: unknown) => stack.request('POST', path, body, { token: user.token });
  const get = (path: string, user?: TestUser) => stack.request('GET', path, undefined, user ? { token: user.token } : {});
  const feeIncome = async () =>
    (await one<{ balance: bigint }>(stack.db, `SELECT balance FROM transactions.accounts WHERE code = 'platform:fee_income'`)).balance;

  /** A funded seller with an active sell offer, and a buyer. */
  async function market(sellerFunds = '5', offer: Record<string, unknown> = {}) {
    const seller = await stack.newUser('seller');
    const buyer = await stack.newUser('buyer');
    if (sellerFunds !== '0') await fund(stack, seller, sellerFunds);
    return { seller, buyer, offer: await createOffer(stack, seller, offer) };
  }

  async function escrowed(amount = '1') {
    const m = await market();
    const res = await startTrade(stack, m.buyer, m.offer.id, amount);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ...m, trade: res.body };
  }

  describe('POST /trades', () => {
    it("starts a trade on a sell offer: the taker buys, the owner's amount + fee is held", async () => {
      const { seller, buyer, offer } = await market('5');
      const before = Date.now();
      const res = await startTrade(stack, buyer, offer.id, '1.5');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        offer_id: offer.id,
        buyer: { id: buyer.id, username: buyer.username },
        seller: { id: seller.id, username: seller.username },
        amount: '1.5',
        fee: '0.015',
        price: '150.25',
        fiat_amount: '225.38', // 1.5 x 150.25 = 225.375, rounded half up to cents
        currency: 'EUR',
        payment_method: 'sepa',
        status: 'escrowed',
        my_role: 'buyer',
        available_actions: ['paid', 'cancel'],
      });
      expect(typeof res.body.id).toBe('string');
      const deadline = Date.parse(res.body.payment_deadline);
      expect(deadline - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
      expect(deadline - Date.now()).toBeLessThanOrEqual(30 * 60_000);
      for (const field of ['created_at', 'updated_at', 'payment_deadline']) expect(res.body[field]).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '3.485', held: '1.515' });
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '0', held: '0' });
    });

    it('on a buy offer the owner buys and the taker is the seller whose XMR is held', async () => {
      const owner = await stack.newUser('buyowner');
      const taker = await stack.newUser('taker');
      await fund(stack, taker, '1');
      const offer = await createOffer(stack, owner, { side: 'buy' });
      const res = await startTrade(stack, taker, offer.id, '0.5');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ buyer: { id: owner.id }, seller: { id: taker.id }, offer_side: 'buy', my_role: 'seller' });
      expect(await balanceOf(stack, taker)).toMatchObject({ available: '0.495', held: '0.505' });
    });

    it('refuses with 409 insufficient_funds when the seller cannot cover amount + fee, and changes nothing', async () => {
      const { seller, buyer, offer } = await market('1');
      const res = await startTrade(stack, buyer, offer.id, '1'); // needs 1.01 with the fee
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('insufficient_funds');
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '1', held: '0' });
      expect((await get('/trades', buyer)).body.items).toEqual([]);
      const unfunded = await market('0');
      expect((await startTrade(stack, unfunded.buyer, unfunded.offer.id, '0.5')).body.error.code).toBe('insufficient_funds');
    });

    it('refuses an inactive offer with 409 offer_not_active', async () => {
      const { seller, buyer, offer } = await market();
      const paused = await stack.request('PATCH', `/offers/${offer.id}`, { status: 'paused' }, { token: seller.token });
      expect(paused.status).toBe(200);
      const res = await startTrade(stack, buyer, offer.id, '1');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('offer_not_active');
      expect(await balanceOf(stack, seller)).toMatchObject({ held: '0' });
    });

    it('refuses an amount outside the offer limits with 400 amount_out_of_range', async () => {
      const { buyer, offer } = await market('10', { min_amount: '0.5', max_amount: '2' });
      for (const amount of ['0.499999999999', '2.000000000001', '3']) {
        const res = await startTrade(stack, buyer, offer.id, amount);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'amount_out_of_range', details: { min_amount: '0.5', max_amount: '2' } });
      }
      expect((await startTrade(stack, buyer, offer.id, '0.5')).status).toBe(201);
      expect((await startTrade(stack, buyer, offer.id, '2')).status).toBe(201);
    });

    it('refuses with 409 price_changed (details: the current price) when the price the taker saw is not the price now; nothing is held', async () => {
      const { seller, buyer, offer } = await market('5'); // fixed price 150.25
      const take = (price: string) => post('/trades', buyer, { offer_id: offer.id, amount: '1', price });
      const seen = await take('150.25');
      expect(seen.status, JSON.stringify(seen.body)).toBe(201);
      expect(seen.body.price).toBe('150.25');
      expect((await take('150.250')).status).toBe(201); // the same number, written longer

      // The maker changes the price while the taker is reading the offer.
      const changed = await stack.request('PATCH', `/offers/${offer.id}`, { price: '160' }, { token: seller.token });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      const held = (await balanceOf(stack, seller)).held;
      const stale = await take('150.25');
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: 'price_changed', details: { price: changed.body.effective_price } });
      expect(stale.body.error.details.price).toMatch(/^160(\.0+)?$/);
      expect((await balanceOf(stack, seller)).held).toBe(held);
      expect((await get('/trades', buyer)).body.items).toHaveLength(2);

      // Taking the new price works; without a price the offer's current price applies (older clients).
      const fresh = await take(stale.body.error.details.price);
      expect(fresh.status).toBe(201);
      expect(fresh.body.price).toBe(stale.body.error.details.price);
      expect((await startTrade(stack, buyer, offer.id, '0.5')).status).toBe(201);
      for (const price of ['0', '-1', '1e3', 150.25, '1.123456789']) {
        const bad = await post('/trades', buyer, { offer_id: offer.id, amount: '1', price });
        expect(bad.status, String(price)).toBe(400);
        expect(bad.body.error.code).toBe('validation_failed');
      }
    });

    it('refuses your own offer with 400 own_offer', async () => {
      const { seller, offer } = await market();
      const res = await startTrade(stack, seller, offer.id, '1');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('own_offer');
    });

    it('answers 404 offer_not_found for an unknown offer, 400 for bad input, 401 without a token', async () => {
      const { buyer } = await market();
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const missing = await startTrade(stack, buyer, id, '1');
        expect(missing.status).toBe(404);
        expect(missing.body.error.code).toBe('offer_not_found');
      }
      for (const body of [
        { offer_id: 'x' },
        { offer_id: 'x', amount: 1 },
        { offer_id: 'x', amount: '0' },
        { offer_id: 'x', amount: '1.0000000000001' },
        { offer_id: 'x', amount: '9999999999999' },
        { offer_id: 'x', amount: '1', extra: true },
      ]) {
        const res = await post('/trades', buyer, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
      }
      const anonymous = await stack.request('POST', '/trades', { offer_id: 'x', amount: '1' });
      expect(anonymous.status).toBe(401);
    });

    it('with an Idempotency-Key, a repeated start returns the first trade and holds once', async () => {
      const { seller, buyer, offer } = await market('5');
      const headers = { 'idempotency-key': `start-${buyer.id}` };
      const first = await stack.request('POST', '/trades', { offer_id: offer.id, amount: '1' }, { token: buyer.token, headers });
      const again = await stack.request('POST', '/trades', { offer_id: offer.id, amount: '1' }, { token: buyer.token, headers });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await balanceOf(stack, seller)).toMatchObject({ held: '1.01' });
      const other = await stack.request('POST', '/trades', { offer_id: offer.id, amount: '2' }, { token: buyer.token, headers });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_key_reused');
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, () =>
          stack.request(
            'POST',
            '/trades',
            { offer_id: offer.id, amount: '0.1' },
            { token: buyer.token, headers: { 'idempotency-key': `burst-${buyer.id}` } },
          ),
        ),
      );
      expect(new Set(concurrent.map((r) => r.body.id)).size).toBe(1);
      expect(await balanceOf(stack, seller)).toMatchObject({ held: '1.111' });
    });
  });

  describe('the trade lifecycle', () => {
    it('paid → release: the buyer gets the amount, the platform the fee, atomically; repeats are harmless', async () => {
      const { seller, buyer, trade } = await escrowed('2');
      const fees = await feeIncome();
      const paid = await post(`/trades/${trade.id}/paid`, buyer);
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ status: 'paid', available_actions: ['dispute'] });
      expect(paid.body.paid_at).toBeTruthy();
      expect((await post(`/trades/${trade.id}/paid`, buyer)).body.status).toBe('paid'); // repeat: unchanged

      const released = await post(`/trades/${trade.id}/release`, seller);
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ status: 'completed', amount: '2', fee: '0.02' });
      expect(released.body.completed_at).toBeTruthy();
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '2', held: '0' });
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '2.98', held: '0' });
      expect((await feeIncome()) - fees).toBe(20_000_000_000n);

      const repeat = await post(`/trades/${trade.id}/release`, seller);
      expect(repeat.status).toBe(200);
      expect(repeat.body.status).toBe('completed');
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '2' });
    });

    it('the seller cannot release before the buyer marks paid (409 invalid_transition with the status); nothing moves', async () => {
      const { seller, buyer, trade } = await escrowed('1');
      const early = await post(`/trades/${trade.id}/release`, seller);
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'escrowed' } });
      expect((await get(`/trades/${trade.id}`, seller)).body).toMatchObject({ status: 'escrowed', available_actions: [] });
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '3.99', held: '1.01' });
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '0', held: '0' });
      // Past the payment window too: the seller may cancel or dispute, never release unpaid.
      await expireWindow(stack, trade.id);
      expect((await post(`/trades/${trade.id}/release`, seller)).body.error).toMatchObject({
        code: 'invalid_transition',
        details: { status: 'escrowed' },
      });
      expect((await get(`/trades/${trade.id}`, seller)).body.available_actions).toEqual(['cancel', 'dispute']);
      await post(`/trades/${trade.id}/paid`, buyer).then((r) => expect(r.status).toBe(409)); // the window closed
    });

    it('only the buyer marks paid and only the seller releases (409 wrong_party with the status)', async () => {
      const { seller, buyer, trade } = await escrowed();
      const sellerPaid = await post(`/trades/${trade.id}/paid`, seller);
      expect(sellerPaid.status).toBe(409);
      expect(sellerPaid.body.error).toMatchObject({ code: 'wrong_party', details: { status: 'escrowed' } });
      const buyerRelease = await post(`/trades/${trade.id}/release`, buyer);
      expect(buyerRelease.status).toBe(409);
      expect(buyerRelease.body.error).toMatchObject({ code: 'wrong_party', details: { status: 'escrowed' } });
      const modPaid = await post(`/trades/${trade.id}/paid`, moderator);
      expect(modPaid.status).toBe(403);
      expect(modPaid.body.error.code).toBe('not_a_party');
      expect((await get(`/trades/${trade.id}`, buyer)).body.status).toBe('escrowed');
    });

    it('the buyer cancels before paying: cancelled, the hold goes back to the seller', async () => {
      const { seller, buyer, trade } = await escrowed('1');
      const res = await post(`/trades/${trade.id}/cancel`, buyer);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', available_actions: [] });
      expect(res.body.cancelled_at).toBeTruthy();
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '5', held: '0' });
      expect((await post(`/trades/${trade.id}/cancel`, buyer)).status).toBe(200); // repeat
      const late = await post(`/trades/${trade.id}/paid`, buyer);
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'cancelled' } });
    });

    it('the buyer cannot cancel once paid (409 with the current status)', async () => {
      const { buyer, seller, trade } = await escrowed();
      await post(`/trades/${trade.id}/paid`, buyer);
      const res = await post(`/trades/${trade.id}/cancel`, buyer);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'paid' } });
      const sellerCancel = await post(`/trades/${trade.id}/cancel`, seller);
      expect(sellerCancel.status).toBe(409);
      expect(sellerCancel.body.error.details).toEqual({ status: 'paid' });
    });

    it('the seller cancels only after the payment window passed unpaid; the buyer can no longer pay then', async () => {
      const { seller, buyer, trade } = await escrowed('1');
      const early = await post(`/trades/${trade.id}/cancel`, seller);
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({ code: 'payment_window_open', details: { status: 'escrowed' } });
      await expireWindow(stack, trade.id);
      const pay = await post(`/trades/${trade.id}/paid`, buyer);
      expect(pay.status).toBe(409);
      expect(pay.body.error).toMatchObject({ code: 'payment_window_expired', details: { status: 'escrowed' } });
      const res = await post(`/trades/${trade.id}/cancel`, seller);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '5', held: '0' });
    });

    it('a completed trade cannot be cancelled, disputed or paid', async () => {
      const { seller, buyer, trade } = await escrowed();
      await post(`/trades/${trade.id}/paid`, buyer);
      expect((await post(`/trades/${trade.id}/release`, seller)).status).toBe(200);
      for (const [path, who, body] of [
        ['cancel', buyer],
        ['dispute', seller, { reason: 'x' }],
        ['paid', buyer],
      ] as const) {
        const res = await post(`/trades/${trade.id}/${path}`, who, body);
        expect(res.status, path).toBe(409);
        expect(res.body.error.details).toEqual({ status: 'completed' });
      }
    });

    it('accepts an empty JSON object or no body on action endpoints, refuses unknown fields', async () => {
      const { buyer, trade } = await escrowed();
      const withField = await post(`/trades/${trade.id}/paid`, buyer, { note: 'x' });
      expect(withField.status).toBe(400);
      const raw = await stack.request('POST', `/trades/${trade.id}/paid`, undefined, {
        token: buyer.token,
        headers: { 'content-type': 'application/json' },
        raw: '',
      });
      expect(raw.status).toBe(200);
      expect((await post(`/trades/${trade.id}/paid`, buyer, {})).status).toBe(200);
    });
  });

  describe('disputes and moderation', () => {
    it('a dispute needs a paid trade or a passed window; either party may open it, once', async () => {
      const { seller, buyer, trade } = await escrowed();
      const early = await post(`/trades/${trade.id}/dispute`, buyer, { reason: 'no answer' });
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('payment_window_open');
      expect((await post(`/trades/${trade.id}/dispute`, buyer, {})).status).toBe(400);
      expect((await post(`/trades/${trade.id}/dispute`, buyer, { reason: '   ' })).status).toBe(400);
      await post(`/trades/${trade.id}/paid`, buyer);
      const opened = await post(`/trades/${trade.id}/dispute`, seller, { reason: 'The money never arrived.' });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({
        status: 'disputed',
        dispute: { reason: 'The money never arrived.', opened_by: { id: seller.id, username: seller.username } },
      });
      expect((await post(`/trades/${trade.id}/dispute`, buyer, { reason: 'me too' })).body.dispute.reason).toBe('The money never arrived.');
      expect((await post(`/trades/${trade.id}/release`, seller)).status).toBe(409); // a moderator decides now

      const other = await escrowed();
      await expireWindow(stack, other.trade.id);
      expect((await post(`/trades/${other.trade.id}/dispute`, other.buyer, { reason: 'seller silent' })).body.status).toBe('disputed');
    });

    async function disputed(amount = '2') {
      const t = await escrowed(amount);
      await post(`/trades/${t.trade.id}/paid`, t.buyer);
      await post(`/trades/${t.trade.id}/dispute`, t.buyer, { reason: 'help' });
      return t;
    }

    it('GET /admin/disputes lists open disputes for moderators and admins only', async () => {
      const { trade } = await disputed();
      const list = await get('/admin/disputes', moderator);
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).toContain(trade.id);
      expect(list.body.items.every((t: { status: string }) => t.status === 'disputed')).toBe(true);
      expect((await get('/admin/disputes', admin)).status).toBe(200);
      const user = await stack.newUser('nosy');
      expect((await get('/admin/disputes', user)).status).toBe(403);
      expect((await get('/admin/disputes')).status).toBe(401);
    });

    it('resolve release → completed, the buyer gets the amount', async () => {
      const { buyer, seller, trade } = await disputed('2');
      const res = await post(`/admin/trades/${trade.id}/resolve`, moderator, {
        outcome: 'release',
        note: 'Bank statement shows the payment.',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'completed',
        resolution: { outcome: 'release', buyer_amount: '2', note: 'Bank statement shows the payment.', resolved_by: { id: moderator.id } },
      });
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '2' });
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '2.98', held: '0' });
      expect((await get('/admin/disputes', moderator)).body.items.map((t: { id: string }) => t.id)).not.toContain(trade.id);
      // The same resolution again is a no-op; a different one is refused.
      expect((await post(`/admin/trades/${trade.id}/resolve`, moderator, { outcome: 'release', note: 'again' })).status).toBe(200);
      const flip = await post(`/admin/trades/${trade.id}/resolve`, admin, { outcome: 'refund', note: 'changed my mind' });
      expect(flip.status).toBe(409);
      expect(flip.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'completed' } });
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '2' });
    });

    it('resolve refund → cancelled, the seller gets the whole hold back', async () => {
      const { buyer, seller, trade } = await disputed('2');
      const res = await post(`/admin/trades/${trade.id}/resolve`, admin, { outcome: 'refund', note: 'No payment was made.' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', resolution: { outcome: 'refund', buyer_amount: '0' } });
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '5', held: '0' });
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '0' });
    });

    it('resolve split → completed: the buyer gets buyer_amount, the seller the rest, the fee pro rata', async () => {
      const { buyer, seller, trade } = await disputed('2');
      const fees = await feeIncome();
      const res = await post(`/admin/trades/${trade.id}/resolve`, moderator, {
        outcome: 'split',
        buyer_amount: '0.5',
        note: 'Half was paid.',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'completed', resolution: { outcome: 'split', buyer_amount: '0.5' } });
      expect(await balanceOf(stack, buyer)).toMatchObject({ available: '0.5' });
      // hold 2.02: 0.5 to the buyer, 0.005 fee (1 % of 0.5), 1.515 back to the seller (2.98 + 1.515)
      expect(await balanceOf(stack, seller)).toMatchObject({ available: '4.495', held: '0' });
      expect((await feeIncome()) - fees).toBe(5_000_000_000n);
    });

    it('refuses bad resolutions with 400 and changes nothing', async () => {
      const { trade, seller } = await disputed('2');
      const cases: Array<[unknown, string]> = [
        [{ outcome: 'split', note: 'x' }, 'buyer_amount_required'],
        [{ outcome: 'split', buyer_amount: '2', note: 'x' }, 'invalid_buyer_amount'],
        [{ outcome: 'split', buyer_amount: '3', note: 'x' }, 'invalid_buyer_amount'],
        [{ outcome: 'release', buyer_amount: '1', note: 'x' }, 'buyer_amount_only_for_split'],
        [{ outcome: 'release' }, 'validation_failed'],
        [{ outcome: 'release', note: '' }, 'validation_failed'],
        [{ outcome: 'burn', note: 'x' }, 'validation_failed'],
        [{ outcome: 'release', note: 'x', extra: 1 }, 'validation_failed'],
      ];
      for (const [body, code] of cases) {
        const res = await post(`/admin/trades/${trade.id}/resolve`, moderator, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe(code);
      }
      expect((await get(`/trades/${trade.id}`, moderator)).body.status).toBe('disputed');
      expect(await balanceOf(stack, seller)).toMatchObject({ held: '2.02' });
      expect((await post(`/admin/trades/${trade.id}/resolve`, seller, { outcome: 'refund', note: 'mine' })).status).toBe(403);
      expect((await post('/admin/trades/nope/resolve', moderator, { outcome: 'refund', note: 'x' })).status).toBe(404);
    });

    it('only a disputed trade is resolved (409 with the current status); a moderator who is a party cannot resolve', async () => {
      const { trade } = await escrowed();
      const res = await post(`/admin/trades/${trade.id}/resolve`, moderator, { outcome: 'release', note: 'x' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'escrowed' } });

      await fund(stack, moderator, '1');
      const offer = await createOffer(stack, moderator);
      const buyer = await stack.newUser('b');
      const own = (await startTrade(stack, buyer, offer.id, '0.5')).body;
      await post(`/trades/${own.id}/paid`, buyer);
      await post(`/trades/${own.id}/dispute`, buyer, { reason: 'x' });
      const self = await post(`/admin/trades/${own.id}/resolve`, moderator, { outcome: 'refund', note: 'mine' });
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('own_trade');
      expect((await post(`/admin/trades/${own.id}/resolve`, admin, { outcome: 'refund', note: 'resolved by someone else' })).status).toBe(
        200,
      );
    });
  });

  describe('who may see and do what', () => {
    it('a non-participant cannot read, act on, chat in, stream or rate a trade (404, nothing changes)', async () => {
      const { seller, trade } = await escrowed();
      const stranger = await stack.newUser('stranger');
      await fund(stack, stranger, '1');
      for (const path of [
        `/trades/${trade.id}`,
        `/trades/${trade.id}/messages`,
        `/trades/${trade.id}/events`,
        `/trades/${trade.id}/feedback`,
        `/trades/${trade.id}/stream`,
      ]) {
        const res = await get(path, stranger);
        expect(res.status, path).toBe(404);
        expect(res.body.error.code).toBe('trade_not_found');
      }
      for (const [path, body] of [
        ['paid'],
        ['release'],
        ['cancel'],
        ['dispute', { reason: 'x' }],
        ['messages', { body: 'hi' }],
        ['feedback', { rating: 'negative' }],
      ] as const) {
        const res = await post(`/trades/${trade.id}/${path}`, stranger, body);
        expect(res.status, path).toBe(404);
      }
      expect((await get(`/trades/${trade.id}`, seller)).body).toMatchObject({ status: 'escrowed' });
      expect((await get(`/trades/${trade.id}/messages`, seller)).body.items).toEqual([]);
      expect((await get('/trades', stranger)).body.items).toEqual([]);
      expect((await get(`/trades/${trade.id}`)).status).toBe(401);
    });

    it('moderators read the trade and its chat and may write in it', async () => {
      const { buyer, trade } = await escrowed();
      await post(`/trades/${trade.id}/messages`, buyer, { body: 'hello' });
      const view = await get(`/trades/${trade.id}`, moderator);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ my_role: 'moderator', available_actions: [] });
      const note = await post(`/trades/${trade.id}/messages`, moderator, { body: 'A moderator is here.' });
      expect(note.status).toBe(201);
      expect(note.body.author_role).toBe('moderator');
      expect((await get(`/trades/${trade.id}/messages`, moderator)).body.items.map((m: { body: string }) => m.body)).toEqual([
        'hello',
        'A moderator is here.',
      ]);
    });
  });

  describe('chat and timeline', () => {
    it('stores messages as text, in order, 1 to 2000 characters', async () => {
      const { buyer, seller, trade } = await escrowed();
      const html = '<script>alert("x")</script> & "quotes"\nsecond line';
      const first = await post(`/trades/${trade.id}/messages`, buyer, { body: html });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ body: html, author: { id: buyer.id, username: buyer.username }, author_role: 'buyer' });
      expect(first.body.created_at).toMatch(/Z$/);
      const long = 'é'.repeat(2000);
      expect((await post(`/trades/${trade.id}/messages`, seller, { body: long })).status).toBe(201);
      for (const body of [
        { body: '' },
        { body: '  ' },
        { body: 'x'.repeat(2001) },
        { body: 'nul\u0000' },
        { body: 5 },
        {},
        { body: 'x', to: 'y' },
      ]) {
        const res = await post(`/trades/${trade.id}/messages`, seller, body);
        expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      }
      const list = await get(`/trades/${trade.id}/messages`, seller);
      expect(list.body.items.map((m: { body: string }) => m.body)).toEqual([html, long]);
      const page = await get(`/trades/${trade.id}/messages?limit=1`, seller);
      expect(page.body.items).toHaveLength(1);
      const next = await get(`/trades/${trade.id}/messages?limit=1&cursor=${page.body.next_cursor}`, seller);
      expect(next.body.items[0].body).toBe(long);
      expect(next.body.next_cursor).toBeNull();
    });

    it('records a timeline of every state change', async () => {
      const { buyer, seller, trade } = await escrowed();
      await post(`/trades/${trade.id}/paid`, buyer);
      await post(`/trades/${trade.id}/messages`, seller, { body: 'checking my bank' });
      await post(`/trades/${trade.id}/release`, seller);
      const detail = await get(`/trades/${trade.id}`, buyer);
      expect(detail.body.timeline.map((e: { type: string; status: string }) => [e.type, e.status])).toEqual([
        ['trade_created', 'escrowed'],
        ['trade_paid', 'paid'],
        ['trade_completed', 'completed'],
      ]);
      expect(detail.body.timeline[1].actor).toEqual({ id: buyer.id, username: buyer.username });
      const events = await get(`/trades/${trade.id}/events`, seller);
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['trade_created', 'trade_paid', 'message', 'trade_completed']);
      expect(events.body.items[2].message.body).toBe('checking my bank');
    });
  });

  describe('feedback and reputation', () => {
    it('each party rates the other once, after completion; reputation counts trades, volume and feedback', async () => {
      const { buyer, seller, trade } = await escrowed('1.25');
      const early = await post(`/trades/${trade.id}/feedback`, buyer, { rating: 'positive' });
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('trade_not_completed');
      await post(`/trades/${trade.id}/paid`, buyer);
      expect((await post(`/trades/${trade.id}/release`, seller)).status).toBe(200);

      const given = await post(`/trades/${trade.id}/feedback`, buyer, { rating: 'positive', comment: 'Fast and friendly.' });
      expect(given.status).toBe(201);
      expect(given.body).toMatchObject({
        rating: 'positive',
        comment: 'Fast and friendly.',
        author: { id: buyer.id },
        subject: { id: seller.id },
      });
      const twice = await post(`/trades/${trade.id}/feedback`, buyer, { rating: 'negative' });
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('feedback_exists');
      expect((await post(`/trades/${trade.id}/feedback`, seller, { rating: 'maybe' })).status).toBe(400);
      expect((await post(`/trades/${trade.id}/feedback`, seller, { rating: 'neutral' })).status).toBe(201);
      expect((await post(`/trades/${trade.id}/feedback`, moderator, { rating: 'neutral' })).status).toBe(403);

      const rep = await get(`/users/${seller.id}/reputation`); // public
      expect(rep.status).toBe(200);
      expect(rep.body).toEqual({
        user_id: seller.id,
        completed_trades: 1,
        volume: '1.25',
        feedback: { positive: 1, neutral: 0, negative: 0 },
      });
      expect((await get(`/users/${buyer.id}/reputation`)).body).toMatchObject({ completed_trades: 1, feedback: { neutral: 1 } });
      expect((await get(`/trades/${trade.id}`, seller)).body.feedback).toHaveLength(2);
      expect((await get('/users/no-such-user/reputation')).body).toMatchObject({ completed_trades: 0, volume: '0' });
    });
  });

  describe('listing and balances', () => {
    it('GET /trades lists my trades newest first, filtered by status, paginated', async () => {
      const { buyer, offer } = await market('5');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await startTrade(stack, buyer, offer.id, '0.1')).body.id);
      await post(`/trades/${ids[0]}/cancel`, buyer);
      const page1 = await get('/trades?limit=2', buyer);
      expect(page1.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
      const page2 = await get(`/trades?limit=2&cursor=${page1.body.next_cursor}`, buyer);
      expect(page2.body.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
      expect(page2.body.next_cursor).toBeNull();
      const cancelled = await get('/trades?status=cancelled', buyer);
      expect(cancelled.body.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
      expect((await get('/trades?status=bogus', buyer)).status).toBe(400);
      expect((await get('/trades?limit=1000', buyer)).status).toBe(400);
    });

    it('GET /balance answers available, held and pending deposits ("0" when the wallet manager is away)', async () => {
      const user = await stack.newUser('bal');
      expect(await balanceOf(stack, user)).toEqual({ available: '0', held: '0', pending_deposits: '0' });
      await fund(stack, user, '0.000000000001');
      expect(await balanceOf(stack, user)).toEqual({ available: '0.000000000001', held: '0', pending_deposits: '0' });
      expect((await get('/balance')).status).toBe(401);
    });

    it('GET /balance/history lists my entries newest first with the change to each balance', async () => {
      const { seller, buyer, trade } = await escrowed('1');
      await post(`/trades/${trade.id}/paid`, buyer);
      expect((await post(`/trades/${trade.id}/release`, seller)).status).toBe(200);
      const history = await get('/balance/history', seller);
      expect(history.status).toBe(200);
      expect(history.body.items.map((e: { kind: string; changes: unknown }) => [e.kind, e.changes])).toEqual([
        ['trade_release', { available: '0', held: '-1.01' }],
        ['trade_hold', { available: '-1.01', held: '1.01' }],
        ['deposit', { available: '5', held: '0' }],
      ]);
      expect(history.body.items[0].reference).toEqual({ type: 'trade', id: trade.id });
      expect(history.body.items[2].reference.type).toBe('deposit');
      const buyerHistory = await get('/balance/history?limit=1', buyer);
      expect(buyerHistory.body.items).toEqual([expect.objectContaining({ kind: 'trade_release', changes: { available: '1', held: '0' } })]);
      expect(buyerHistory.body.next_cursor).toBeNull();
      const page = await get('/balance/history?limit=2', seller);
      const rest = await get(`/balance/history?limit=2&cursor=${page.body.next_cursor}`, seller);
      expect(rest.body.items.map((e: { kind: string }) => e.kind)).toEqual(['deposit']);
    });
  });

  describe('ledger verify', () => {
    it('is for moderators and admins', async () => {
      const res = await get('/admin/ledger/verify', moderator);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, problems: [] });
      expect(res.body.checked_entries).toBeGreaterThan(10);
      expect((await get('/admin/ledger/verify', await stack.newUser('u'))).status).toBe(403);
      expect((await get('/admin/ledger/verify')).status).toBe(401);
    });
  });
});
