import { z } from 'zod';
import { type App, TAGS } from '@pupero/http';
import { currentUser } from '@pupero/auth';
import type { OffersContext } from '../context.js';
import { authed, conflict, errorSchema } from '../errors.js';
import { currency, fiatPrice } from '../offers/schemas.js';
import { formatFiatPrice } from '../offers/pricing.js';
import type { PriceSnapshot } from './provider.js';

const priceDocument = z
  .object({
    symbol: z.literal('XMR'),
    prices: z.record(z.string(), z.string()).describe('Fiat per 1 XMR by ISO 4217 currency'),
    source: z.enum(['static', 'http']),
    updated_at: z.string().nullable().describe('When the newest price was set or fetched'),
    stale: z.boolean().describe('The source could not be refreshed: these are the last good prices'),
    error: z.string().optional().describe('Why the last refresh failed'),
  })
  .meta({ id: 'MarketPrices' });

function present(snapshot: PriceSnapshot): z.infer<typeof priceDocument> {
  const prices = Object.fromEntries(
    [...snapshot.prices.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, q]) => [c, formatFiatPrice(q.price)]),
  );
  return {
    symbol: 'XMR',
    prices,
    source: snapshot.source,
    updated_at: snapshot.updatedAt?.toISOString() ?? null,
    stale: snapshot.stale,
    ...(snapshot.error !== undefined ? { error: snapshot.error } : {}),
  };
}

const setPricesBody = z.strictObject({
  prices: z.record(z.string(), fiatPrice('each price'), { error: 'prices must be an object like {"USD": "165.5"}' }).check((ctx) => {
    const codes = Object.keys(ctx.value);
    if (!codes.length) ctx.issues.push({ code: 'custom', input: ctx.value, message: 'prices must name at least one currency' });
    for (const code of codes) {
      const result = currency.safeParse(code);
      if (!result.success)
        ctx.issues.push({
          code: 'custom',
          input: code,
          path: [code],
          message: result.error.issues[0]?.message ?? 'is not a currency code',
        });
    }
  }),
});

/** GET /price (the market price of XMR) and PUT /admin/prices (admins adjust the static prices). */
export function registerPriceRoutes(app: App, ctx: OffersContext): void {
  app.get(
    '/price',
    { schema: { tags: [TAGS.prices], summary: 'Market price of 1 XMR per currency', response: { 200: priceDocument } } },
    async () => present(await ctx.prices.snapshot()),
  );

  // The admin-route shape of every service (authed(role guard, schema)); alike on purpose, each with its own schema.
  app.put(
    '/admin/prices',
    authed(ctx.guards.role('admin'), {
      tags: [TAGS.prices],
      summary: 'Set static market prices (admin)',
      description:
        'Only with the static price source. The currencies sent get these prices (kept across restarts); the others keep theirs. Market offers follow at once.',
      body: setPricesBody,
      response: { 200: priceDocument, 400: errorSchema, 403: errorSchema, 409: errorSchema },
    }),
    async (request) => {
      const admin = currentUser(request);
      if (!ctx.staticPrices) {
        throw conflict('price_source_not_static', `Prices come from the ${ctx.prices.source} source here; they cannot be set by hand.`);
      }
      const prices = new Map(Object.entries(request.body.prices));
      const snapshot = await ctx.staticPrices.setPrices(prices, admin.id);
      request.log.info({ by: admin.id, currencies: [...prices.keys()] }, 'static prices set');
      return present(snapshot);
    },
  );
}
