import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { marketOfferBody, offerBody } from '../testing/fixtures.js';

/** GET /price and PUT /admin/prices with the default (static) source, through the gateway. */
describe('static market prices through the gateway', () => {
  let stack: TestStack;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'offers'], env: { PRICES: 'USD=160,EUR=150.5,GBP=128' } });
    [admin, user] = await Promise.all([stack.newUser('admin'), stack.newUser('user')]);
    admin = await stack.grantRole(admin, 'admin');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('GET /price shows the configured prices without login', async () => {
    const res = await stack.request('GET', '/price');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      symbol: 'XMR',
      prices: { EUR: '150.50', GBP: '128.00', USD: '160.00' },
      source: 'static',
      updated_at: expect.stringMatching(/Z$/),
      stale: false,
    });
  });

  it('only admins set prices, and bad input changes nothing', async () => {
    const body = { prices: { USD: '165.5' } };
    expect((await stack.request('PUT', '/admin/prices', body)).status).toBe(401);
    const forbidden = await stack.request('PUT', '/admin/prices', body, { token: user.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
    const cases: Array<[unknown, RegExp]> = [
      [{ prices: {} }, /at least one currency/],
      [{ prices: { usd: '1' } }, /body\.prices\.usd: currency must be a 3-letter uppercase/],
      [{ prices: { ABC: '1' } }, /"ABC" is not a circulating ISO 4217 currency/],
      [{ prices: { USD: '0' } }, /each price must be greater than zero/],
      [{ prices: { USD: 165.5 } }, /as a string/],
      [{ prices: { USD: '1.123456789' } }, /at most 8 decimals/],
      [{ prices: 'USD=1' }, /prices must be an object/],
      [{ prices: { USD: '1' }, source: 'http' }, /Unrecognized key: "source"/],
    ];
    for (const [bad, message] of cases) {
      const res = await stack.request('PUT', '/admin/prices', bad, { token: admin.token });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(message);
    }
    expect((await stack.request('GET', '/price')).body.prices.USD).toBe('160.00');
    const { rows } = await stack.db.query('SELECT * FROM offers.price_quotes');
    expect(rows).toHaveLength(0);
  });

  it('an admin change is served at once, stored for restarts, and market offers follow it', async () => {
    const seller = await stack.newUser('seller');
    const market = (
      await stack.request('POST', '/offers', marketOfferBody('0', { currency: 'GBP' }), {
        token: seller.token,
      })
    ).body;
    const fixed = (await stack.request('POST', '/offers', offerBody({ currency: 'GBP', price: '130' }), { token: seller.token })).body;
    expect(market.effective_price).toBe('128.00');
    const order = async () => (await stack.request('GET', '/offers?side=sell&currency=GBP')).body.items.map((o: { id: string }) => o.id);
    expect(await order()).toEqual([market.id, fixed.id]);

    const res = await stack.request('PUT', '/admin/prices', { prices: { GBP: '135', KES: '20500.75' } }, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.prices).toMatchObject({ GBP: '135.00', KES: '20500.75', USD: '160.00' });
    expect((await stack.request('GET', '/price')).body.prices.GBP).toBe('135.00');

    // The market offer now costs 135: the cheaper fixed one comes first.
    expect(await order()).toEqual([fixed.id, market.id]);
    expect((await stack.request('GET', `/offers/${market.id}`)).body.effective_price).toBe('135.00');
    // KES has a market price now, so market offers in KES are possible.
    const kes = await stack.request('POST', '/offers', marketOfferBody('1', { currency: 'KES' }), { token: seller.token });
    expect(kes.status).toBe(201);
    expect(kes.body.effective_price).toBe('20705.7575');

    const { rows } = await stack.db.query<{ currency: string; updated_by: string }>(
      `SELECT currency, updated_by FROM offers.price_quotes WHERE source = 'static' ORDER BY currency`,
    );
    expect(rows).toEqual([
      { currency: 'GBP', updated_by: admin.id },
      { currency: 'KES', updated_by: admin.id },
    ]);

    // A restart (a new Offers service on the same database, same PRICES) keeps the admin's prices.
    const restarted = await startTestStack({ services: ['offers'], db: stack.db, env: { PRICES: 'USD=160,EUR=150.5,GBP=128' } });
    try {
      expect((await restarted.request('GET', '/price')).body.prices).toMatchObject({ GBP: '135.00', KES: '20500.75', USD: '160.00' });
      expect((await restarted.request('GET', `/offers/${market.id}`)).body.effective_price).toBe('135.00');
    } finally {
      await restarted.close();
    }
  });
});
