import { z } from 'zod';
import { type App, TAGS } from '@pupero/http';
import type { OffersContext } from '../context.js';
import { formatFiatPrice } from '../offers/pricing.js';
import { CURRENCY_CODES, currencyName } from './currencies.js';
import { OTHER_PAYMENT_METHOD, PAYMENT_METHODS } from './payment-methods.js';

/** The lists a client needs to fill in an offer form. */
export function registerCatalogRoutes(app: App, ctx: OffersContext): void {
  app.get(
    '/offers/payment-methods',
    {
      schema: {
        tags: [TAGS.offers],
        summary: 'Payment methods an offer can name',
        response: {
          200: z.object({
            items: z.array(
              z.object({ code: z.string(), label: z.string(), needs_detail: z.boolean().describe('payment_method_detail required') }),
            ),
          }),
        },
      },
    },
    async () => ({
      items: PAYMENT_METHODS.map((m) => ({ code: m.code, label: m.label, needs_detail: m.code === OTHER_PAYMENT_METHOD })),
    }),
  );

  app.get(
    '/offers/currencies',
    {
      schema: {
        tags: [TAGS.offers],
        summary: 'Currencies an offer can use, with the market price where there is one',
        description: 'market_price null: only fixed-price offers are possible in that currency.',
        response: {
          200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), market_price: z.string().nullable() })) }),
        },
      },
    },
    async () => {
      const snapshot = await ctx.prices.snapshot();
      return {
        items: CURRENCY_CODES.map((code) => {
          const quote = snapshot.prices.get(code);
          return { code, name: currencyName(code), market_price: quote ? formatFiatPrice(quote.price) : null };
        }),
      };
    },
  );
}
