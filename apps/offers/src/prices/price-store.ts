import type { Queryable } from '@pupero/db';
import { formatDecimal, parseDecimal, PRICE_DECIMALS } from '@pupero/money';
import type { PriceQuote, PriceSource } from './provider.js';

/** offers.price_quotes: admin-set static prices and the HTTP provider's last good values. */

export async function loadQuotes(q: Queryable, source: PriceSource): Promise<Map<string, PriceQuote>> {
  const { rows } = await q.query<{ currency: string; price: string; updated_at: Date | string }>(
    `SELECT currency, price, updated_at FROM offers.price_quotes WHERE source = $1`,
    [source],
  );
  return new Map(rows.map((r) => [r.currency, { price: parseDecimal(r.price, PRICE_DECIMALS), updatedAt: new Date(r.updated_at) }]));
}

export async function saveQuotes(
  q: Queryable,
  source: PriceSource,
  prices: ReadonlyMap<string, bigint>,
  options: { at?: Date; by?: string } = {},
): Promise<void> {
  if (!prices.size) return;
  const currencies = [...prices.keys()];
  const values = currencies.map((c) => formatDecimal(prices.get(c)!, PRICE_DECIMALS));
  // One statement for all currencies: unnest keeps it a single round trip.
  await q.query(
    `INSERT INTO offers.price_quotes (source, currency, price, updated_at, updated_by)
     SELECT $1, c, p::numeric, coalesce($4::timestamptz, now()), $5
     FROM unnest($2::text[], $3::text[]) AS t(c, p)
     ON CONFLICT (source, currency) DO UPDATE
       SET price = excluded.price, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [source, currencies, values, options.at?.toISOString() ?? null, options.by ?? null],
  );
}
