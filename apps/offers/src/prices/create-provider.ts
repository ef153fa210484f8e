import type { Logger } from 'pino';
import type { Db } from '@pupero/db';
import type { OffersConfig } from '../config.js';
import { HttpPriceProvider } from './http-provider.js';
import type { PriceProvider } from './provider.js';
import { StaticPriceProvider } from './static-provider.js';
import { loadQuotes, saveQuotes } from './price-store.js';

/** The configured price source (PRICE_PROVIDER). */
export function createPriceProvider(
  config: OffersConfig,
  db: Db,
  logger: Logger,
): { provider: PriceProvider; staticProvider?: StaticPriceProvider } {
  if (config.PRICE_PROVIDER === 'static') {
    const staticProvider = new StaticPriceProvider({ configured: config.PRICES, db });
    return { provider: staticProvider, staticProvider };
  }
  const provider = new HttpPriceProvider({
    url: config.PRICE_HTTP_URL!,
    mapping: config.PRICE_HTTP_MAPPING,
    timeoutMs: config.PRICE_HTTP_TIMEOUT_MS,
    ttlMs: config.PRICE_HTTP_TTL_SECONDS * 1000,
    retryMs: config.PRICE_HTTP_RETRY_SECONDS * 1000,
    maxAgeMs: config.PRICE_HTTP_MAX_AGE_SECONDS * 1000,
    persist: {
      load: () => loadQuotes(db, 'http'),
      save: (prices, at) => saveQuotes(db, 'http', prices, { at }),
    },
    logger,
  });
  return { provider };
}
