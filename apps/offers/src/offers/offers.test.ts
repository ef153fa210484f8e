import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { countOffers, offerBody } from '../testing/fixtures.js';

/** The Offers rows of API.md through the gateway, with a real Login API issuing the tokens. */
describe('offers API through the gateway', () => {
  let stack: TestStack;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    stack = await startTestStack({
      services: ['login', 'offers'],
      env: { PRICES: 'USD=160,EUR=150', MAX_OPEN_OFFERS_PER_USER: '8' },
    });
    [alice, bob] = await Promise.all([stack.newUser('alice'), stack.newUser('bob')]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const create = (user: TestUser, overrides: Record<string, unknown> = {}) =>
    stack.request('POST', '/offers', offerBody(overrides), { token: user.token });

  describe('POST /offers', () => {
    it('publishes a fixed-price offer with the owner from the token', async () => {
      const res = await create(alice, { terms: '<b>Bold</b> & "quoted"\nline two' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        owner: { id: alice.id, username: alice.username, reputation: null },
        side: 'sell',
        currency: 'EUR',
        payment_method: 'sepa',
        price_type: 'fixed',
        price: '150.25',
        effective_price: '150.25',
        min_amount: '0.1',
        max_amount: '2',
        terms: '<b>Bold</b> & "quoted"\nline two',
        payment_window_minutes: 30,
        status: 'active',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: expect.any(String),
      });
      const read = await stack.request('GET', `/offers/${res.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
    });

    it('publishes a market-priced offer priced from the market price and margin', async () => {
      const res = await create(alice, { side: 'buy', currency: 'USD', price_type: 'market', price: undefined, margin_percent: '-2.5' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ price_type: 'market', margin_percent: '-2.5', effective_price: '156.00', side: 'buy' });
      expect(res.body).not.toHaveProperty('price');
      const numeric = await create(alice, { currency: 'USD', price_type: 'market', price: undefined, margin_percent: 1.25 });
      expect(numeric.body).toMatchObject({ margin_percent: '1.25', effective_price: '162.00' });
    });

    it('accepts "other" with its detail and the smallest and exact amounts', async () => {
      const res = await create(bob, {
        payment_method: 'other',
        payment_method_detail: 'Credit union transfer',
        min_amount: '0.000000000001',
        max_amount: '0.000000000001',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        payment_method: 'other',
        payment_method_detail: 'Credit union transfer',
        min_amount: '0.000000000001',
      });
    });

    it('needs a logged-in user', async () => {
      const before = await countOffers(stack.db);
      expect((await stack.request('POST', '/offers', offerBody())).body.error.code).toBe('authentication_required');
      const forged = await stack.request('POST', '/offers', offerBody(), { token: `${alice.token.slice(0, -4)}AAAA` });
      expect(forged.status).toBe(401);
      expect(forged.body.error.code).toBe('invalid_token');
      expect(await countOffers(stack.db)).toBe(before);
    });

    // Every field, invalid in each way, is refused with a message naming it, and nothing is stored.
    const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['side missing', { side: undefined }, 'validation_failed', /side must be "sell"/],
      ['side unknown', { side: 'hold' }, 'validation_failed', /side must be "sell"/],
      ['currency lowercase', { currency: 'eur' }, 'validation_failed', /currency must be a 3-letter uppercase ISO 4217/],
      ['currency unknown', { currency: 'ABC' }, 'validation_failed', /"ABC" is not a circulating ISO 4217/],
      ['currency missing', { currency: undefined }, 'validation_failed', /currency must be an ISO 4217 code/],
      ['payment_method unknown', { payment_method: 'bitcoin' }, 'validation_failed', /payment_method must be one of/],
      ['payment_method missing', { payment_method: undefined }, 'validation_failed', /payment_method must be one of/],
      ['other without detail', { payment_method: 'other' }, 'payment_method_detail_required', /payment_method_detail/],
      [
        'detail too long',
        { payment_method: 'other', payment_method_detail: 'x'.repeat(101) },
        'validation_failed',
        /payment_method_detail must be 1 to 100/,
      ],
      ['detail on two lines', { payment_method_detail: 'a\nb' }, 'validation_failed', /payment_method_detail must be one line/],
      ['price_type unknown', { price_type: 'auction' }, 'validation_failed', /price_type must be "fixed"/],
      ['price_type missing', { price_type: undefined }, 'validation_failed', /price_type must be/],
      ['fixed without price', { price: undefined }, 'price_required', /needs price/],
      ['fixed with margin', { margin_percent: '2' }, 'margin_not_allowed', /no margin_percent/],
      ['market without margin', { price_type: 'market', price: undefined }, 'margin_required', /needs margin_percent/],
      ['market with price', { price_type: 'market', margin_percent: '1' }, 'price_not_allowed', /no price/],
      [
        'market without market price',
        { price_type: 'market', price: undefined, margin_percent: '1', currency: 'KES' },
        'no_market_price',
        /no market price for KES.*EUR, USD/,
      ],
      ['margin above 50', { price_type: 'market', price: undefined, margin_percent: '50.5' }, 'validation_failed', /between -50 and 50/],
      ['margin below -50', { price_type: 'market', price: undefined, margin_percent: -51 }, 'validation_failed', /between -50 and 50/],
      [
        'margin not a number',
        { price_type: 'market', price: undefined, margin_percent: 'lots' },
        'validation_failed',
        /margin_percent must be a percent/,
      ],
      ['price zero', { price: '0' }, 'validation_failed', /price must be greater than zero/],
      ['price negative', { price: '-150' }, 'validation_failed', /price must be a positive price/],
      ['price as a number', { price: 150.25 }, 'validation_failed', /price must be a fiat price per 1 XMR as a string/],
      ['price 9 decimals', { price: '150.123456789' }, 'validation_failed', /at most 8 decimals/],
      ['min_amount zero', { min_amount: '0' }, 'validation_failed', /min_amount must be greater than zero/],
      ['min_amount 13 decimals', { min_amount: '0.0000000000001' }, 'validation_failed', /min_amount .*at most 12 decimals/],
      ['min_amount as a number', { min_amount: 0.1 }, 'validation_failed', /min_amount must be an XMR amount as a string/],
      ['max_amount negative', { max_amount: '-2' }, 'validation_failed', /max_amount must be a positive XMR amount/],
      ['max_amount missing', { max_amount: undefined }, 'validation_failed', /max_amount must be an XMR amount/],
      ['max_amount huge', { max_amount: '9999999999999' }, 'validation_failed', /max_amount is larger than any XMR amount/],
      [
        'min above max',
        { min_amount: '3', max_amount: '2' },
        'min_above_max',
        /min_amount \(3 XMR\) must not be above max_amount \(2 XMR\)/,
      ],
      ['terms too long', { terms: 'x'.repeat(2001) }, 'validation_failed', /terms must be at most 2000 characters/],
      ['terms with NUL', { terms: 'a\u0000b' }, 'validation_failed', /terms must not contain control characters/],
      ['terms not text', { terms: ['a'] }, 'validation_failed', /terms must be text/],
      [
        'window too short',
        { payment_window_minutes: 14 },
        'validation_failed',
        /payment_window_minutes must be a whole number of minutes from 15 to 1440/,
      ],
      ['window too long', { payment_window_minutes: 1441 }, 'validation_failed', /from 15 to 1440/],
      ['window fractional', { payment_window_minutes: 20.5 }, 'validation_failed', /whole number/],
      ['unknown field', { owner_id: 'someone-else' }, 'validation_failed', /Unrecognized key: "owner_id"/],
      ['status on create', { status: 'paused' }, 'validation_failed', /Unrecognized key: "status"/],
    ];

    it.each(invalid)('refuses %s and stores nothing', async (_name, overrides, code, message) => {
      const before = await countOffers(stack.db);
      const body = offerBody(overrides);
      for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete body[k];
      const res = await stack.request('POST', '/offers', body, { token: alice.token });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
      expect(await countOffers(stack.db)).toBe(before);
    });

    it('refuses a body that is not JSON or too large', async () => {
      const before = await countOffers(stack.db);
      const broken = await stack.request('POST', '/offers', undefined, { token: alice.token, raw: '{"side": "sell",' });
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('invalid_json');
      const huge = await stack.request('POST', '/offers', offerBody({ terms: 'x'.repeat(70_000) }), { token: alice.token });
      expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
      expect(await countOffers(stack.db)).toBe(before);
    });

    it('limits how many open offers one user has', async () => {
      const carol = await stack.newUser('carol');
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await create(carol)).body.id);
      const over = await create(carol);
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('too_many_offers');
      expect((await stack.request('DELETE', `/offers/${ids[0]}`, undefined, { token: carol.token })).status).toBe(204);
      expect((await create(carol)).status).toBe(201);
    });
  });

  describe('GET /offers/{id}', () => {
    it('answers 404 offer_not_found for unknown ids, whatever they look like', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'does-not-exist', '1']) {
        const res = await stack.request('GET', `/offers/${id}`);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('offer_not_found');
      }
    });
  });

  describe('PATCH /offers/{id}', () => {
    it('lets the owner edit fields, switch price type and pause/resume', async () => {
      const offer = (await create(alice)).body;
      const edited = await stack.request(
        'PATCH',
        `/offers/${offer.id}`,
        { price: '149', terms: 'new terms', max_amount: '5', payment_window_minutes: 90 },
        { token: alice.token },
      );
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        price: '149.00',
        effective_price: '149.00',
        terms: 'new terms',
        max_amount: '5',
        payment_window_minutes: 90,
        min_amount: '0.1',
      });
      expect(edited.body.created_at).toBe(offer.created_at);
      expect(new Date(edited.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(offer.updated_at).getTime());

      const market = await stack.request(
        'PATCH',
        `/offers/${offer.id}`,
        { price_type: 'market', margin_percent: '10' },
        { token: alice.token },
      );
      expect(market.status).toBe(200);
      expect(market.body).toMatchObject({ price_type: 'market', margin_percent: '10', effective_price: '165.00' });
      expect(market.body).not.toHaveProperty('price');

      const paused = await stack.request('PATCH', `/offers/${offer.id}`, { status: 'paused' }, { token: alice.token });
      expect(paused.body.status).toBe('paused');
      expect((await stack.request('GET', `/offers/${offer.id}`)).body.status).toBe('paused');
      const resumed = await stack.request('PATCH', `/offers/${offer.id}`, { status: 'active' }, { token: alice.token });
      expect(resumed.body.status).toBe('active');
    });

    it('refuses invalid edits and changes nothing', async () => {
      const offer = (await create(alice)).body;
      const cases: Array<[Record<string, unknown>, string, RegExp]> = [
        [{}, 'validation_failed', /at least one field/],
        [{ side: 'buy' }, 'validation_failed', /side cannot be changed/],
        [{ currency: 'USD' }, 'validation_failed', /currency cannot be changed/],
        [{ min_amount: '3' }, 'min_above_max', /must not be above/],
        [{ margin_percent: '2' }, 'margin_not_allowed', /send price_type: "market" to switch/],
        [{ price: null }, 'price_required', /needs price/],
        [{ price_type: 'market' }, 'margin_required', /margin_percent/],
        [{ payment_method: 'other' }, 'payment_method_detail_required', /payment_method_detail/],
        [{ status: 'deleted' }, 'validation_failed', /status must be/],
        [{ terms: 'x'.repeat(2001) }, 'validation_failed', /at most 2000/],
        [{ payment_window_minutes: 5 }, 'validation_failed', /15 to 1440/],
        [{ owner_id: bob.id }, 'validation_failed', /Unrecognized key/],
      ];
      for (const [body, code, message] of cases) {
        const res = await stack.request('PATCH', `/offers/${offer.id}`, body, { token: alice.token });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe(code);
        expect(res.body.error.message).toMatch(message);
      }
      expect((await stack.request('GET', `/offers/${offer.id}`)).body).toEqual(offer);
    });

    it('refuses a non-owner (403 not_offer_owner) and an anonymous caller, changing nothing', async () => {
      const offer = (await create(alice)).body;
      const patch = await stack.request('PATCH', `/offers/${offer.id}`, { price: '1' }, { token: bob.token });
      expect(patch.status).toBe(403);
      expect(patch.body.error.code).toBe('not_offer_owner');
      const pause = await stack.request('PATCH', `/offers/${offer.id}`, { status: 'paused' }, { token: bob.token });
      expect(pause.status).toBe(403);
      const close = await stack.request('DELETE', `/offers/${offer.id}`, undefined, { token: bob.token });
      expect(close.status).toBe(403);
      expect(close.body.error.code).toBe('not_offer_owner');
      expect((await stack.request('PATCH', `/offers/${offer.id}`, { price: '1' })).status).toBe(401);
      expect((await stack.request('DELETE', `/offers/${offer.id}`)).status).toBe(401);
      expect((await stack.request('GET', `/offers/${offer.id}`)).body).toEqual(offer);
    });

    it('answers 404 for an unknown offer', async () => {
      const res = await stack.request('PATCH', '/offers/00000000-0000-4000-8000-000000000000', { price: '1' }, { token: alice.token });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('offer_not_found');
      expect((await stack.request('DELETE', '/offers/nope', undefined, { token: alice.token })).status).toBe(404);
    });
  });

  describe('DELETE /offers/{id}', () => {
    it('closes for good: kept and readable, never listed, never edited or reopened', async () => {
      const offer = (await create(alice, { currency: 'USD', terms: 'to be closed' })).body;
      const closed = await stack.request('DELETE', `/offers/${offer.id}`, undefined, { token: alice.token });
      expect(closed.status).toBe(204);
      expect(closed.body).toBeUndefined();
      const read = await stack.request('GET', `/offers/${offer.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: offer.id, status: 'closed', closed_at: expect.any(String), terms: 'to be closed' });
      for (const body of [{ status: 'active' }, { status: 'paused' }, { terms: 'x' }, { status: 'closed' }]) {
        const res = await stack.request('PATCH', `/offers/${offer.id}`, body, { token: alice.token });
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('offer_closed');
      }
      expect((await stack.request('DELETE', `/offers/${offer.id}`, undefined, { token: alice.token })).status).toBe(204);
      const listed = await stack.request('GET', '/offers?currency=USD&limit=100');
      expect(listed.body.items.map((o: { id: string }) => o.id)).not.toContain(offer.id);
    });

    it('closing through PATCH status closed is the same', async () => {
      const offer = (await create(alice)).body;
      const res = await stack.request('PATCH', `/offers/${offer.id}`, { status: 'closed' }, { token: alice.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'closed', closed_at: expect.any(String) });
    });

    it('lets a moderator or admin close someone else’s offer', async () => {
      const offer = (await create(bob)).body;
      const admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
      expect((await stack.request('PATCH', `/offers/${offer.id}`, { terms: 'x' }, { token: admin.token })).status).toBe(403);
      expect((await stack.request('DELETE', `/offers/${offer.id}`, undefined, { token: admin.token })).status).toBe(204);
      expect((await stack.request('GET', `/offers/${offer.id}`)).body.status).toBe('closed');
    });
  });

  describe('GET /offers/mine', () => {
    it('lists all my offers, any status, newest first, paged', async () => {
      const dave = await stack.newUser('dave');
      const a = (await create(dave, { terms: 'a' })).body;
      const b = (await create(dave, { terms: 'b' })).body;
      const c = (await create(dave, { terms: 'c' })).body;
      await stack.request('PATCH', `/offers/${a.id}`, { status: 'paused' }, { token: dave.token });
      await stack.request('DELETE', `/offers/${b.id}`, undefined, { token: dave.token });
      await create(alice);
      const first = await stack.request('GET', '/offers/mine?limit=2', undefined, { token: dave.token });
      expect(first.status).toBe(200);
      expect(first.body.items.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
        [c.id, 'active'],
        [b.id, 'closed'],
      ]);
      const second = await stack.request('GET', `/offers/mine?limit=2&cursor=${first.body.next_cursor}`, undefined, { token: dave.token });
      expect(second.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);
      expect(second.body.next_cursor).toBeNull();
      const paused = await stack.request('GET', '/offers/mine?status=paused', undefined, { token: dave.token });
      expect(paused.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);
      expect((await stack.request('GET', '/offers/mine')).status).toBe(401);
      expect((await stack.request('GET', '/offers/mine?cursor=garbage', undefined, { token: dave.token })).body.error.code).toBe(
        'invalid_cursor',
      );
    });
  });

  describe('catalog', () => {
    it('serves the payment methods and currencies an offer can use', async () => {
      const methods = await stack.request('GET', '/offers/payment-methods');
      expect(methods.status).toBe(200);
      const codes = methods.body.items.map((m: { code: string }) => m.code);
      expect(codes).toEqual(
        expect.arrayContaining(['sepa', 'zelle', 'cash_by_mail', 'revolut', 'wise', 'bank_transfer', 'paypal', 'other']),
      );
      expect(methods.body.items.find((m: { code: string }) => m.code === 'other')).toEqual({
        code: 'other',
        label: expect.any(String),
        needs_detail: true,
      });
      const currencies = await stack.request('GET', '/offers/currencies');
      expect(currencies.body.items).toContainEqual({ code: 'EUR', name: 'Euro', market_price: '150.00' });
      expect(currencies.body.items).toContainEqual({ code: 'KES', name: 'Kenyan Shilling', market_price: null });
    });
  });

  describe('internal API', () => {
    it('serves any offer to services with the service token only, and is never routed publicly', async () => {
      const offer = (await create(alice)).body;
      await stack.request('DELETE', `/offers/${offer.id}`, undefined, { token: alice.token });
      const direct = `http://127.0.0.1:${stack.common.ports.offers}/internal/offers/${offer.id}`;
      const ok = await fetch(direct, { headers: { 'x-service-token': stack.common.serviceToken } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({
        id: offer.id,
        status: 'closed',
        effective_price: '150.25',
        owner: { id: alice.id, username: alice.username },
      });
      expect((await fetch(direct)).status).toBe(403);
      const missing = await fetch(`http://127.0.0.1:${stack.common.ports.offers}/internal/offers/00000000-0000-4000-8000-000000000000`, {
        headers: { 'x-service-token': stack.common.serviceToken },
      });
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.code).toBe('offer_not_found');
      expect(
        (
          await stack.request('GET', `/internal/offers/${offer.id}`, undefined, {
            headers: { 'x-service-token': stack.common.serviceToken },
          })
        ).status,
      ).toBe(404);
    });
  });

  // Same shape as the other services' OpenAPI checks (e.g. wallet-disabled.test.ts); the route list is each service's own.
  it('documents its public routes in the gateway OpenAPI document', async () => {
    const doc = await stack.request('GET', '/openapi.json');
    for (const path of [
      '/offers',
      '/offers/{id}',
      '/offers/mine',
      '/offers/payment-methods',
      '/offers/currencies',
      '/price',
      '/admin/prices',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.paths['/offers'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.body.paths['/offers'].get.security).toBeUndefined();
  });
});
