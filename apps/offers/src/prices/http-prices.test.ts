import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { marketOfferBody } from '../testing/fixtures.js';

/** The service configured with PRICE_PROVIDER=http against a ticker on a local port. */
describe('ticker market prices through the gateway', () => {
  let ticker: FastifyInstance;
  let stack: TestStack;
  let answer: { status: number; body: string } = { status: 200, body: JSON.stringify({ monero: { usd: 170.25, eur: 155, xyz: 1 } }) };

  beforeAll(async () => {
    ticker = Fastify();
    ticker.get('/api/v3/simple/price', async (_request, reply) =>
      reply.status(answer.status).header('content-type', 'application/json').send(answer.body),
    );
    const base = await ticker.listen({ port: 0, host: '127.0.0.1' });
    stack = await startTestStack({
      services: ['login', 'offers'],
      env: {
        PRICE_PROVIDER: 'http',
        PRICE_HTTP_URL: `${base}/api/v3/simple/price?ids=monero&vs_currencies=usd,eur`,
        PRICE_HTTP_MAPPING: 'monero',
        PRICE_HTTP_TTL_SECONDS: '1',
        PRICE_HTTP_RETRY_SECONDS: '1',
        PRICE_HTTP_TIMEOUT_MS: '5000', // generous: the machine is shared
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await ticker?.close();
  });

  it('serves the ticker prices, prices market offers from them, and keeps them when the ticker fails', async () => {
    const fresh = await stack.request('GET', '/price');
    expect(fresh.body).toMatchObject({ symbol: 'XMR', source: 'http', stale: false, prices: { USD: '170.25', EUR: '155.00' } });
    expect(fresh.body).not.toHaveProperty('error');

    const user = await stack.newUser('trader');
    const offer = await stack.request('POST', '/offers', marketOfferBody('-1', { currency: 'USD' }), { token: user.token });
    expect(offer.status).toBe(201);
    expect(offer.body.effective_price).toBe('168.5475');
    const noPrice = await stack.request('POST', '/offers', marketOfferBody('1', { currency: 'GBP' }), { token: user.token });
    expect(noPrice.body.error.code).toBe('no_market_price');

    answer = { status: 200, body: 'not json' };
    await new Promise((r) => setTimeout(r, 1100));
    // The first request past the TTL gets the last good prices and starts the refresh; it fails.
    let stale = await stack.request('GET', '/price');
    for (let i = 0; i < 50 && !stale.body.stale; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stale = await stack.request('GET', '/price');
    }
    expect(stale.body).toMatchObject({
      source: 'http',
      stale: true,
      error: expect.stringMatching(/did not answer JSON/),
      prices: { USD: '170.25' },
    });
    expect((await stack.request('GET', `/offers/${offer.body.id}`)).body.effective_price).toBe('168.5475');
  });

  it('refuses admin price changes: they come from the ticker', async () => {
    const admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
    const res = await stack.request('PUT', '/admin/prices', { prices: { USD: '1' } }, { token: admin.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('price_source_not_static');
  });
});
