import type { Queryable } from '@pupero/db';
import type { Side } from '../offers/offer.js';
import type { PriceSnapshot } from '../prices/provider.js';
import { SIDE_ORDER } from './book-order.js';
import type { BookFilters, BookPosition } from './cursor.js';
import { nextCurrency, readSegment, type BookEntry } from './listing-store.js';

export interface BookPage {
  rows: BookEntry[];
  /** Position of the last row when more offers follow. */
  next?: BookPosition;
}

/**
 * One page of the order book (see book-order.ts for the order). Walks the (side, currency)
 * segments from the cursor on, reading each with an index range scan, until the page is full.
 * One more row than asked is read to know whether a next page exists.
 */
export async function listBook(
  q: Queryable,
  prices: PriceSnapshot,
  filters: BookFilters,
  limit: number,
  after?: BookPosition,
): Promise<BookPage> {
  const want = limit + 1;
  const rows: BookEntry[] = [];
  const sides: readonly Side[] = filters.side ? [filters.side] : SIDE_ORDER;
  const firstSide = after ? sides.indexOf(after.side) : 0;

  for (const side of sides.slice(Math.max(firstSide, 0))) {
    const resume = after && after.side === side ? after : undefined;
    let currency = filters.currency ?? resume?.currency ?? (await nextCurrency(q, side));
    let position = resume ? { key: resume.key, id: resume.id } : undefined;
    while (currency !== undefined && rows.length < want) {
      rows.push(
        ...(await readSegment(q, {
          side,
          currency,
          marketPrice: prices.prices.get(currency)?.price,
          paymentMethod: filters.paymentMethod,
          amount: filters.amount,
          after: position,
          limit: want - rows.length,
        })),
      );
      if (filters.currency !== undefined) break;
      currency = rows.length < want ? await nextCurrency(q, side, currency) : undefined;
      position = undefined;
    }
    if (rows.length >= want) break;
  }

  if (rows.length <= limit) return { rows };
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (!last) return { rows: page }; // limit 0: nothing shown, nothing to continue from
  return { rows: page, next: { side: last.offer.side, currency: last.offer.currency, key: last.key, id: last.offer.id } };
}
