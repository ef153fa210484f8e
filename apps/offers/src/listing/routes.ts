import { z } from 'zod';
import { type App, TAGS } from '@pupero/http';
import type { OffersContext } from '../context.js';
import { errorSchema } from '../errors.js';
import { currency, offerSchema, paymentMethod, side, xmrAmount } from '../offers/schemas.js';
import { viewOffers } from '../offers/offer-view.js';
import { decodeCursor, encodeCursor, type BookFilters } from './cursor.js';
import { listBook } from './list-book.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const listQuery = z.strictObject({
  side: side.optional(),
  currency: z
    .string({ error: 'currency must be an ISO 4217 code like "EUR"' })
    .transform((s) => s.toUpperCase())
    .pipe(currency)
    .optional(),
  payment_method: paymentMethod.optional(),
  amount: xmrAmount('amount').optional(),
  limit: z.coerce
    .number({ error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .int({ error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .min(1, { error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .default(DEFAULT_PAGE_SIZE)
    .transform((n) => Math.min(n, MAX_PAGE_SIZE)),
  cursor: z.string().max(400).optional(),
});

/** The public order book: GET /offers. */
export function registerListingRoutes(app: App, ctx: OffersContext): void {
  app.get(
    '/offers',
    {
      schema: {
        tags: [TAGS.offers],
        summary: 'Browse active offers, best price for the taker first',
        description: [
          'No login needed. Only active offers are listed.',
          'Order: sell offers (you buy XMR) first, then buy offers (you sell XMR); within a side by currency code;',
          'then by effective price — sell offers cheapest first, buy offers highest first — and offer id.',
          'amount (XMR) keeps offers whose min_amount ≤ amount ≤ max_amount.',
          `Pages: limit (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}) and cursor = next_cursor of the previous page`,
          '(keep the filters unchanged while paging). next_cursor is null on the last page.',
        ].join(' '),
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(offerSchema), next_cursor: z.string().nullable() }), 400: errorSchema },
      },
    },
    async (request) => {
      const query = request.query;
      const filters: BookFilters = {
        side: query.side,
        currency: query.currency,
        paymentMethod: query.payment_method,
        amount: query.amount,
      };
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, filters);
      const snapshot = await ctx.prices.snapshot();
      const page = await listBook(ctx.db, snapshot, filters, query.limit, after);
      return {
        items: await viewOffers(
          ctx,
          page.rows.map((r) => r.offer),
          { requestId: request.id, snapshot },
        ),
        next_cursor: page.next ? encodeCursor(page.next, filters) : null,
      };
    },
  );
}
