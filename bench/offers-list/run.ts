/**
 * Order book listing benchmark: the same listing code as GET /offers (listBook), on an offers
 * schema holding 100 and then 100,000 offers. Prints one JSON object per line:
 *   {"db":"pglite","n":100,"query":"first_page","p50_ms":..,"p95_ms":..,"runs":..}
 * and per database a summary with the 100,000 / 100 ratio of each query's p50.
 *
 *   npx tsx bench/offers-list/run.ts                       # PGlite (and PostgreSQL if DATABASE_URL is set)
 *   BENCH_SIZES=100,10000 BENCH_RUNS=30 npx tsx bench/offers-list/run.ts
 *   BENCH_EXPLAIN=1 …                                      # also print the query plans
 * Each result line also says whether any statement of that listing used a sequential scan
 * (`seq_scan`, from EXPLAIN): with the order book indexes none should.
 */
import { performance } from 'node:perf_hooks';
import { migrate, type Db, type Queryable } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { migrations } from '@pupero/offers/migrations';
import { listBook } from '@pupero/offers/listing/list-book';
import { compareBookPositions } from '@pupero/offers/listing/book-order';
import type { BookFilters, BookPosition } from '@pupero/offers/listing/cursor';
import { sortKey } from '@pupero/offers/offers/pricing';
import type { PriceSnapshot } from '@pupero/offers/prices/provider';
import { insertOffers, randomOffers, type SeedOffer } from '@pupero/offers/testing/seed-offers';

const sizes = (process.env.BENCH_SIZES ?? '100,100000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 50);
const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
const at = new Date();
const prices: PriceSnapshot = {
  source: 'static',
  prices: new Map(
    Object.entries({ EUR: 150, USD: 160, GBP: 128, CHF: 142, JPY: 24500 }).map(([c, p]) => [
      c,
      { price: BigInt(p) * 10n ** 8n, updatedAt: at },
    ]),
  ),
  updatedAt: at,
  stale: false,
};

interface Query {
  name: string;
  filters: BookFilters;
  /** Start this far into the filtered book (0 = first page, 0.9 = a cursor 90 % deep). */
  depth: number;
}

const XMR = 10n ** 12n;
const queries: Query[] = [
  { name: 'first_page', filters: {}, depth: 0 },
  { name: 'first_page_sell_eur', filters: { side: 'sell', currency: 'EUR' }, depth: 0 },
  { name: 'first_page_buy_usd_sepa', filters: { side: 'buy', currency: 'USD', paymentMethod: 'sepa' }, depth: 0 },
  { name: 'first_page_eur_amount', filters: { currency: 'EUR', amount: XMR }, depth: 0 },
  { name: 'deep_cursor', filters: {}, depth: 0.9 },
  { name: 'deep_cursor_sell_eur', filters: { side: 'sell', currency: 'EUR' }, depth: 0.9 },
  { name: 'deep_cursor_buy_usd_sepa', filters: { side: 'buy', currency: 'USD', paymentMethod: 'sepa' }, depth: 0.9 },
];

/** Where a cursor `depth` into the filtered book points, computed in memory from the seed. */
function positionAt(offers: Array<SeedOffer & { id: string }>, filters: BookFilters, depth: number): BookPosition | undefined {
  if (depth === 0) return undefined;
  const book = offers
    .filter((o) => (!filters.side || o.draft.side === filters.side) && (!filters.currency || o.draft.currency === filters.currency))
    .filter((o) => !filters.paymentMethod || o.draft.paymentMethod === filters.paymentMethod)
    .filter((o) => filters.amount === undefined || (o.draft.minAmount <= filters.amount && o.draft.maxAmount >= filters.amount))
    .map((o) => ({
      side: o.draft.side,
      currency: o.draft.currency,
      key: sortKey(o.draft.pricing, prices.prices.get(o.draft.currency)?.price)!,
      id: o.id,
    }))
    .sort(compareBookPositions);
  return book[Math.floor(book.length * depth)];
}

/** The plans of every statement one listing runs (recorded through a spying Queryable). */
async function explain(db: Db, filters: BookFilters, after: BookPosition | undefined): Promise<string[]> {
  const statements: Array<[string, readonly unknown[]]> = [];
  const spy: Queryable = {
    query: (sql, params) => {
      statements.push([sql, params ?? []]);
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
  await listBook(spy, prices, filters, 20, after);
  const plans: string[] = [];
  for (const [sql, params] of statements) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  return plans;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function benchDatabase(kind: 'pglite' | 'postgres'): Promise<void> {
  process.env.PUPERO_TEST_DB = kind;
  const books: Array<{ n: number; db: Db; offers: Array<SeedOffer & { id: string }> }> = [];
  try {
    for (const n of sizes) {
      const db: Db = await createTestDb();
      const book: (typeof books)[number] = { n, db, offers: [] };
      books.push(book);
      await migrate(db, 'offers', migrations);
      const seed = randomOffers(n, { seed: 2024, currencies, owners: Math.max(10, n / 20), marketShare: 0.5 });
      const t0 = performance.now();
      const ids = await insertOffers(db, seed);
      const insertMs = performance.now() - t0;
      await db.query('ANALYZE offers.offers');
      if (ids.length !== seed.length) throw new Error(`inserted ${ids.length} of ${seed.length} offers`);
      book.offers = seed.map((o, i) => ({ ...o, id: ids[i]! })); // same length, checked above
      console.log(JSON.stringify({ db: kind, n, step: 'insert', ms: Math.round(insertMs) }));
    }
    const p50: Record<number, Record<string, number>> = Object.fromEntries(sizes.map((n) => [n, {}]));
    for (const query of queries) {
      const cases = books.map((book) => ({
        ...book,
        after: positionAt(book.offers, query.filters, query.depth),
        times: [] as number[],
        rows: 0,
      }));
      for (const c of cases) for (let i = 0; i < 5; i++) await listBook(c.db, prices, query.filters, 20, c.after); // warm-up
      // Sizes take turns, run by run, so a busy moment of a shared machine hits them alike.
      for (let i = 0; i < runs; i++) {
        for (const c of cases) {
          const start = performance.now();
          const page = await listBook(c.db, prices, query.filters, 20, c.after);
          c.times.push(performance.now() - start);
          c.rows = page.rows.length;
        }
      }
      for (const c of cases) {
        c.times.sort((a, b) => a - b);
        (p50[c.n] ??= {})[query.name] = percentile(c.times, 0.5);
        const plans = await explain(c.db, query.filters, c.after);
        console.log(
          JSON.stringify({
            db: kind,
            n: c.n,
            query: query.name,
            rows: c.rows,
            p50_ms: round(percentile(c.times, 0.5)),
            p95_ms: round(percentile(c.times, 0.95)),
            runs,
            statements: plans.length,
            seq_scan: plans.some((plan) => plan.includes('Seq Scan')),
          }),
        );
        if (process.env.BENCH_EXPLAIN) for (const plan of plans) console.error(`--- ${kind} n=${c.n} ${query.name}\n${plan}`);
      }
    }
    if (sizes.length >= 2) {
      const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
      const ratios = Object.fromEntries(
        queries.map((q) => [q.name, round((p50[large]?.[q.name] ?? Number.NaN) / (p50[small]?.[q.name] ?? Number.NaN))]),
      );
      console.log(
        JSON.stringify({
          db: kind,
          summary: `p50 ratio n=${large} / n=${small}`,
          ratio: ratios,
          max_ratio: Math.max(...Object.values(ratios)),
        }),
      );
    }
  } finally {
    for (const book of books) await book.db.close();
  }
}

await benchDatabase('pglite');
if (process.env.DATABASE_URL) await benchDatabase('postgres');
