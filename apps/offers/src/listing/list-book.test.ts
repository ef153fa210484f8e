import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '@pupero/db';
import { createTestDb, testDbKind } from '@pupero/db/testing';
import { migrations } from '../migrations.js';
import { sortKey } from '../offers/pricing.js';
import type { PriceSnapshot } from '../prices/provider.js';
import { insertOffers, randomOffers, type SeedOffer } from '../testing/seed-offers.js';
import { compareBookPositions } from './book-order.js';
import type { BookFilters, BookPosition } from './cursor.js';
import { listBook } from './list-book.js';

const P = (n: number) => BigInt(n) * 10n ** 8n;
function snapshot(prices: Record<string, number>): PriceSnapshot {
  const at = new Date();
  return {
    source: 'static',
    prices: new Map(Object.entries(prices).map(([c, p]) => [c, { price: P(p), updatedAt: at }])),
    updatedAt: at,
    stale: false,
  };
}

/**
 * The order book read through SQL must equal the specification (compareBookPositions) applied
 * to all offers in memory, page after page, for every filter.
 */
describe(`order book listing on ${testDbKind()}`, () => {
  let db: Db;
  let seeded: Array<SeedOffer & { id: string }>;

  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, 'offers', migrations);
    const offers = randomOffers(2000, { seed: 7, currencies: ['EUR', 'USD', 'GBP', 'JPY'], marketShare: 0.5 });
    offers.forEach((o, i) => {
      if (i % 10 === 3) o.status = 'paused';
      if (i % 10 === 7) o.status = 'closed';
    });
    const ids = await insertOffers(db, offers);
    seeded = offers.map((o, i) => {
      const id = ids[i];
      assert(id, 'insertOffers returns an id per offer');
      return { ...o, id };
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  function expected(prices: PriceSnapshot, filters: BookFilters): BookPosition[] {
    const positions: BookPosition[] = [];
    for (const o of seeded) {
      const d = o.draft;
      if ((o.status ?? 'active') !== 'active') continue;
      if (filters.side && d.side !== filters.side) continue;
      if (filters.currency && d.currency !== filters.currency) continue;
      if (filters.paymentMethod && d.paymentMethod !== filters.paymentMethod) continue;
      if (filters.amount !== undefined && (d.minAmount > filters.amount || d.maxAmount < filters.amount)) continue;
      const key = sortKey(d.pricing, prices.prices.get(d.currency)?.price);
      if (key === undefined) continue; // a market offer without a market price cannot be listed
      positions.push({ side: d.side, currency: d.currency, key, id: o.id });
    }
    return positions.sort(compareBookPositions);
  }

  async function readAll(prices: PriceSnapshot, filters: BookFilters, limit: number): Promise<BookPosition[]> {
    const seen: BookPosition[] = [];
    let after: BookPosition | undefined;
    for (let pages = 0; pages < 10_000; pages++) {
      const page = await listBook(db, prices, filters, limit, after);
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      seen.push(...page.rows.map((r) => ({ side: r.offer.side, currency: r.offer.currency, key: r.key, id: r.offer.id })));
      if (!page.next) return seen;
      expect(page.rows.length).toBe(limit);
      after = page.next;
    }
    throw new Error('did not end');
  }

  const prices = snapshot({ EUR: 150, USD: 160, GBP: 128 }); // no JPY price: JPY market offers are not listed

  const XMR = 10n ** 12n;
  const filterSets: BookFilters[] = [
    {},
    { side: 'sell' },
    { side: 'buy', currency: 'EUR' },
    { currency: 'JPY' },
    { paymentMethod: 'sepa' },
    { side: 'sell', currency: 'USD', paymentMethod: 'revolut', amount: XMR / 2n },
    { amount: 3n * XMR },
    { side: 'buy', amount: 10n * XMR }, // matches nothing
  ];

  const label = (f: BookFilters) => JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? `${v}` : v));
  it.each(filterSets.map((f) => [label(f), f] as const))(
    'pages through exactly the specified order with filters %s',
    async (_label, filters) => {
      const want = expected(prices, filters);
      // Small pages only on the smaller books, to keep the test fast on a busy machine.
      for (const [limit, upTo] of [
        [1, 150],
        [13, 800],
        [100, Infinity],
      ] as const) {
        if (want.length <= upTo) expect(await readAll(prices, filters, limit)).toEqual(want);
      }
    },
  );

  it('continues exactly after a cursor deep inside a segment, from a fixed or a market offer', async () => {
    const want = expected(prices, { side: 'buy' });
    for (const index of [0, 1, 300, Math.floor(want.length / 2), want.length - 2]) {
      const page = await listBook(db, prices, { side: 'buy' }, 25, want[index]);
      expect(page.rows.map((r) => r.offer.id)).toEqual(want.slice(index + 1, index + 26).map((p) => p.id));
    }
  });

  it('orders market offers by the current market price', async () => {
    const cheapEuro = snapshot({ EUR: 100, USD: 160, GBP: 128 });
    const want = expected(cheapEuro, { side: 'sell', currency: 'EUR' });
    expect(want).not.toEqual(expected(prices, { side: 'sell', currency: 'EUR' }));
    expect(await readAll(cheapEuro, { side: 'sell', currency: 'EUR' }, 50)).toEqual(want);
  });
});
