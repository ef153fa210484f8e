import type { Queryable } from '@pupero/db';
import { formatDecimal, parseDecimal } from '@pupero/money';
import type { Side } from '../offers/offer.js';
import { marginBoundForKey } from '../offers/pricing.js';
import { OFFER_COLUMNS, offerFromRow, type OfferRow } from '../offers/offer-store.js';
import type { Offer } from '../offers/offer.js';
import { priceOrder } from './book-order.js';

/**
 * SQL of the order book. One segment = the active offers of one (side, currency), read as two
 * index-ordered streams merged by effective price:
 * - fixed offers by (price, id) on offers_fixed_book[_by_method];
 * - market offers by (margin_percent, id) on offers_market_book[_by_method] — at a given market
 *   price P their effective price P × (1 + margin/100) grows with the margin.
 * A cursor inside the segment becomes an index range on both streams, so deep pages cost the same
 * as the first one. Sort keys are compared exactly in numeric as effective price × 100 (no
 * division, so no rounding).
 */

export interface SegmentQuery {
  side: Side;
  currency: string;
  /** Market price of the currency (scaled by 10^8); market offers are left out without one. */
  marketPrice?: bigint;
  paymentMethod?: string;
  amount?: bigint;
  /** Continue after this (key scaled by 10^12, id). */
  after?: { key: bigint; id: string };
  limit: number;
}

export interface BookEntry {
  offer: Offer;
  /** Exact effective price scaled by 10^12. */
  key: bigint;
}

export async function readSegment(q: Queryable, query: SegmentQuery): Promise<BookEntry[]> {
  const order = priceOrder(query.side);
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const cmp = order === 'asc' ? '>' : '<';
  const params: unknown[] = [query.side, query.currency, query.limit];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const common = ['side = $1', 'currency = $2'];
  if (query.paymentMethod !== undefined) common.push(`payment_method = ${param(query.paymentMethod)}`);
  if (query.amount !== undefined) {
    const amount = param(query.amount);
    common.push(`min_amount <= ${amount}`, `max_amount >= ${amount}`);
  }
  const id = query.after ? param(query.after.id) : '';

  const fixedWhere = [`status = 'active'`, `price_type = 'fixed'`, ...common];
  if (query.after) fixedWhere.push(`(price, id) ${cmp} (${param(formatDecimal(query.after.key, 12))}::numeric, ${id}::uuid)`);
  const fixed = `(SELECT ${OFFER_COLUMNS}, price * 100 AS sort_key FROM offers.offers
    WHERE ${fixedWhere.join(' AND ')}
    ORDER BY price ${dir}, id ${dir} LIMIT $3)`;

  let market = '';
  if (query.marketPrice !== undefined) {
    const price = param(formatDecimal(query.marketPrice, 8));
    const key = `${price}::numeric * (100 + margin_percent)`;
    const marketWhere = [`status = 'active'`, `price_type = 'market'`, ...common];
    if (query.after) {
      const bound = marginBoundForKey(query.after.key, query.marketPrice, order);
      marketWhere.push(
        `margin_percent ${order === 'asc' ? '>=' : '<='} ${param(formatDecimal(bound, 2))}::numeric`,
        `(${key}, id) ${cmp} (${param(formatDecimal(query.after.key, 10))}::numeric, ${id}::uuid)`,
      );
    }
    market = ` UNION ALL (SELECT ${OFFER_COLUMNS}, ${key} AS sort_key FROM offers.offers
    WHERE ${marketWhere.join(' AND ')}
    ORDER BY margin_percent ${dir}, id ${dir} LIMIT $3)`;
  }

  const { rows } = await q.query<OfferRow & { sort_key: string }>(
    `SELECT * FROM (${fixed}${market}) book ORDER BY sort_key ${dir}, id ${dir} LIMIT $3`,
    params,
  );
  return rows.map((row) => ({ offer: offerFromRow(row), key: parseDecimal(row.sort_key, 10) }));
}

/** The first currency after `after` (or the first at all) with active offers on this side. */
export async function nextCurrency(q: Queryable, side: Side, after?: string): Promise<string | undefined> {
  // Two min() lookups that each stop at the first index entry.
  const { rows } = await q.query<{ currency: string | null }>(
    `SELECT least(
       (SELECT min(currency) FROM offers.offers WHERE status = 'active' AND price_type = 'fixed' AND side = $1 AND currency > $2),
       (SELECT min(currency) FROM offers.offers WHERE status = 'active' AND price_type = 'market' AND side = $1 AND currency > $2)
     ) AS currency`,
    [side, after ?? ''],
  );
  return rows[0]?.currency ?? undefined;
}
