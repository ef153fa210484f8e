import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { parseXmr } from '@pupero/money';
import { insertOffers, randomOffers } from '../testing/seed-offers.js';
import { offerBody } from '../testing/fixtures.js';

type Item = {
  id: string;
  side: 'sell' | 'buy';
  currency: string;
  payment_method: string;
  effective_price: string;
  min_amount: string;
  max_amount: string;
  status: string;
  owner: { id: string; reputation: unknown };
};

/** GET /offers through the gateway: order, filters, keyset paging under concurrent inserts. */
describe('order book through the gateway', () => {
  let stack: TestStack;
  let alice: TestUser;
  let transactions: FastifyInstance;
  let transactionsUp = true;
  let seededIds: string[];

  beforeAll(async () => {
    // Stands in for the Transactions API's internal reputation endpoint (written by another team).
    transactions = Fastify();
    transactions.get('/internal/reputation', async (request, reply) => {
      if (!transactionsUp) return reply.status(503).send({ error: { code: 'service_unavailable', message: 'down' } });
      const ids = String((request.query as { user_ids: string }).user_ids).split(',');
      return {
        items: Object.fromEntries(
          ids.map((id) => [id, { completed_trades: 3, volume: '1.5', feedback: { positive: 2, neutral: 1, negative: 0 } }]),
        ),
      };
    });
    const transactionsUrl = await transactions.listen({ port: 0, host: '127.0.0.1' });
    stack = await startTestStack({
      services: ['login', 'offers'],
      env: {
        PRICES: 'USD=160,EUR=150,GBP=128',
        MAX_OPEN_OFFERS_PER_USER: '1000',
        TRANSACTIONS_URL: transactionsUrl,
        REPUTATION_CACHE_SECONDS: '0',
        REPUTATION_TIMEOUT_MS: '5000',
      },
    });
    alice = await stack.newUser('alice');
    // 1,000 offers straight into the table (the API would take minutes): both sides, three
    // currencies (one without market price for its market offers: CHF), fixed and market.
    seededIds = await insertOffers(stack.db, randomOffers(1000, { seed: 11, currencies: ['EUR', 'USD', 'GBP'], marketShare: 0.5 }));
  });
  afterAll(async () => {
    await stack?.close();
    await transactions?.close();
  });

  type Page = { items: Item[]; next_cursor: string | null; error?: { code: string; message: string } };
  const list = (query: string) => stack.request<Page>('GET', `/offers${query}`);

  /** Items must follow the documented order: sell before buy, currency, best price for the taker. */
  function expectBookOrder(items: Item[]): void {
    for (const [i, b] of items.entries()) {
      const a = items[i - 1];
      if (!a) continue;
      if (a.side !== b.side) {
        expect([a.side, b.side]).toEqual(['sell', 'buy']);
        continue;
      }
      if (a.currency !== b.currency) {
        expect(a.currency < b.currency).toBe(true);
        continue;
      }
      const [pa, pb] = [Number(a.effective_price), Number(b.effective_price)];
      if (a.side === 'sell') expect(pa).toBeLessThanOrEqual(pb);
      else expect(pa).toBeGreaterThanOrEqual(pb);
    }
  }

  it('returns each of 1,000 offers exactly once over the pages, while new offers keep arriving', async () => {
    const seen = new Map<string, number>();
    const all: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let inserted = 0;
    do {
      // New offers land all over the book (before and after the cursor) while we page.
      const [page]: [{ status: number; body: Page }, ...unknown[]] = await Promise.all([
        list(`?limit=37${cursor ? `&cursor=${cursor}` : ''}`),
        stack.request(
          'POST',
          '/offers',
          offerBody({
            price: `${100 + ((pages * 37) % 200)}.5`,
            side: pages % 2 ? 'buy' : 'sell',
            currency: ['EUR', 'USD', 'GBP'][pages % 3],
          }),
          { token: alice.token },
        ),
        insertOffers(stack.db, randomOffers(3, { seed: 1000 + pages, currencies: ['EUR', 'USD', 'GBP'] })),
      ]);
      inserted += 4;
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(37);
      for (const item of page.body.items) seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
      all.push(...page.body.items);
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 200);

    expect(cursor).toBeNull();
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    for (const id of seededIds) expect(seen.get(id), id).toBe(1);
    expect(all.length).toBeGreaterThanOrEqual(1000);
    expect(all.length).toBeLessThanOrEqual(1000 + inserted);
    expectBookOrder(all);
    expect(all.every((i) => i.status === 'active')).toBe(true);
  });

  it('filters by side, currency, payment method and amount', async () => {
    const amount = '0.75';
    const res = await list(`?side=buy&currency=EUR&amount=${amount}&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const item of res.body.items) {
      expect(item).toMatchObject({ side: 'buy', currency: 'EUR' });
      expect(parseXmr(item.min_amount) <= parseXmr(amount) && parseXmr(amount) <= parseXmr(item.max_amount)).toBe(true);
    }
    expectBookOrder(res.body.items);
    const sepa = await list('?payment_method=sepa&limit=100');
    expect(sepa.body.items.length).toBeGreaterThan(0);
    expect(sepa.body.items.every((i) => i.payment_method === 'sepa')).toBe(true);
    expect((await list('?currency=eur&limit=5')).body.items.every((i) => i.currency === 'EUR')).toBe(true);

    // The same as the database says: every active offer matching the filters, nothing else.
    const { rows } = await stack.db.query<{ n: bigint }>(
      `SELECT count(*)::bigint AS n FROM offers.offers WHERE status = 'active' AND side = 'buy' AND currency = 'EUR'
         AND min_amount <= $1 AND max_amount >= $1`,
      [parseXmr(amount)],
    );
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await list(`?side=buy&currency=EUR&amount=${amount}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      count += page.body.items.length;
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(count).toBe(Number(rows[0]?.n));
  });

  it('never lists paused or closed offers', async () => {
    const ids = await Promise.all(
      [0, 1, 2].map(
        async (i) =>
          (await stack.request('POST', '/offers', offerBody({ currency: 'USD', price: `${1 + i}` }), { token: alice.token })).body
            .id as string,
      ),
    );
    await stack.request('PATCH', `/offers/${ids[0]}`, { status: 'paused' }, { token: alice.token });
    await stack.request('DELETE', `/offers/${ids[1]}`, undefined, { token: alice.token });
    // The cheapest USD sell offers come first: only the active one of the three shows.
    const first = await list('?side=sell&currency=USD&limit=3');
    expect(first.body.items.map((i) => i.id)).toContain(ids[2]);
    expect(first.body.items.map((i) => i.id)).not.toContain(ids[0]);
    expect(first.body.items.map((i) => i.id)).not.toContain(ids[1]);
    await stack.request('PATCH', `/offers/${ids[0]}`, { status: 'active' }, { token: alice.token });
    expect((await list('?side=sell&currency=USD&limit=3')).body.items.map((i) => i.id)).toContain(ids[0]);
  });

  it('pages with a default of 20 and at most 100 per page', async () => {
    expect((await list('')).body.items).toHaveLength(20);
    expect((await list('?limit=500')).body.items).toHaveLength(100);
  });

  it('refuses bad queries with a clear message', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['?cursor=garbage', 'invalid_cursor', /next_cursor of the previous page/],
      ['?limit=0', 'validation_failed', /limit must be a whole number from 1 to 100/],
      ['?limit=ten', 'validation_failed', /limit/],
      ['?side=both', 'validation_failed', /side must be "sell"/],
      ['?currency=EURO', 'validation_failed', /currency must be a 3-letter/],
      ['?payment_method=cheque', 'validation_failed', /payment_method must be one of/],
      ['?amount=-1', 'validation_failed', /amount must be a positive XMR amount/],
      ['?amount=0.0000000000001', 'validation_failed', /at most 12 decimals/],
      ['?sort=cheapest', 'validation_failed', /Unrecognized key: "sort"/],
    ];
    for (const [query, code, message] of cases) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ error: { code, message: expect.stringMatching(message) } });
    }
    const cursor = (await list('?currency=EUR&limit=2')).body.next_cursor!;
    const other = await list(`?currency=EUR&side=sell&limit=2&cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error?.code).toBe('invalid_cursor');
  });

  it('shows the owner reputation from the Transactions API, and lists without it when that is down', async () => {
    await stack.request('POST', '/offers', offerBody({ currency: 'GBP', price: '0.01' }), { token: alice.token });
    const up = await list('?side=sell&currency=GBP&limit=1');
    expect(up.body.items[0]?.owner).toEqual({
      id: alice.id,
      username: alice.username,
      reputation: { completed_trades: 3, volume: '1.5', feedback: { positive: 2, neutral: 1, negative: 0 } },
    });
    // A new owner while the Transactions API is down: unknown (null). Alice: her last known record.
    const [stranger] = randomOffers(1, { seed: 5 });
    assert(stranger);
    stranger.ownerId = 'owner-never-seen';
    stranger.draft = { ...stranger.draft, side: 'sell', currency: 'GBP', pricing: { type: 'fixed', price: 1n } };
    await insertOffers(stack.db, [stranger]);
    transactionsUp = false;
    try {
      const down = await list('?side=sell&currency=GBP&limit=5');
      expect(down.status).toBe(200);
      expect(down.body.items).toHaveLength(5);
      expect(down.body.items[0]?.owner).toMatchObject({ id: 'owner-never-seen', reputation: null });
      expect(down.body.items[1]?.owner).toMatchObject({ id: alice.id, reputation: { completed_trades: 3 } });
    } finally {
      transactionsUp = true;
    }
  });
});
