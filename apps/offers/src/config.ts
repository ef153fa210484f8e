import { z } from 'zod';
import { env, loadConfig } from '@pupero/config';
import { parseStaticPrices } from './prices/static-prices-config.js';
import { parseJsonMapping } from './prices/json-mapping.js';

/** A text variable turned into a value by `parse`; what `parse` throws becomes the configuration error. */
function parsedText<T>(fallback: string, parse: (text: string) => T) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });
}

/** The Offers API's own variables (documented in .env.example and the README). */
export const offersConfigSchema = z
  .object({
    // Where market prices come from: "static" (PRICES, adjustable by admins) or "http" (a ticker).
    PRICE_PROVIDER: z.enum(['static', 'http']).default('static'),
    // Static prices per 1 XMR: "USD=160,EUR=150,...". Admin changes (PUT /admin/prices) win over these.
    PRICES: parsedText(
      'USD=160,EUR=150,GBP=128,CHF=142,CAD=220,AUD=245,JPY=24500,PLN=640,CZK=3700,SEK=1700,NOK=1750,DKK=1120,BRL=880,MXN=2900,INR=13500,ZAR=2950,NZD=270,SGD=215',
      parseStaticPrices,
    ),
    // HTTP provider: the ticker URL, e.g. https://api.coingecko.com/api/v3/simple/price?ids=monero&vs_currencies=usd,eur
    PRICE_HTTP_URL: env.url().optional(),
    // Where the prices are in the ticker's JSON: "monero" (an object of currency → price) or an
    // explicit list "USD=monero.usd,EUR=monero.eur".
    PRICE_HTTP_MAPPING: parsedText('monero', parseJsonMapping),
    PRICE_HTTP_TIMEOUT_MS: env.int(3000, 100, 60_000),
    PRICE_HTTP_TTL_SECONDS: env.int(60, 1, 86_400),
    // After a failure, wait this long before asking the ticker again (requests meanwhile get the last good value).
    PRICE_HTTP_RETRY_SECONDS: env.int(15, 1, 3600),
    // Prices older than this are reported as stale in GET /price (they are still used).
    PRICE_HTTP_MAX_AGE_SECONDS: env.int(900, 1, 7 * 86_400),
    // The owner reputation shown on offers comes from the Transactions API: per-call timeout and cache time.
    REPUTATION_TIMEOUT_MS: env.int(500, 50, 10_000),
    REPUTATION_CACHE_SECONDS: env.int(30, 0, 3600),
    // Active + paused offers one user may have at once.
    MAX_OPEN_OFFERS_PER_USER: env.int(50, 1, 100_000),
  })
  .refine((c) => c.PRICE_PROVIDER !== 'http' || c.PRICE_HTTP_URL, {
    message: 'PRICE_PROVIDER=http needs PRICE_HTTP_URL',
    path: ['PRICE_HTTP_URL'],
  });

export type OffersConfig = z.infer<typeof offersConfigSchema>;

export function loadOffersConfig(environment: Record<string, string | undefined>): OffersConfig {
  return loadConfig(offersConfigSchema, environment);
}
