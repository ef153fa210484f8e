import { Gauge, type Registry } from 'prom-client';
import { createServiceApp, ServiceClient, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { authGuards, verifierFromConfig } from '@pupero/auth';
import { migrations } from './migrations.js';
import { loadOffersConfig } from './config.js';
import type { OffersContext } from './context.js';
import { registerCatalogRoutes } from './catalog/routes.js';
import { registerListingRoutes } from './listing/routes.js';
import { registerOfferRoutes } from './offers/routes.js';
import { registerMyOffersRoutes } from './offers/mine-routes.js';
import { registerPriceRoutes } from './prices/routes.js';
import { createPriceProvider } from './prices/create-provider.js';
import { ReputationClient } from './reputation/client.js';
import type { PriceProvider } from './prices/provider.js';
import { errorSchema } from './errors.js';

export const SCHEMA = 'offers';

export { PAYMENT_METHODS, PAYMENT_METHOD_CODES, type PaymentMethod } from './catalog/payment-methods.js';
export { CURRENCY_CODES, isCurrencyCode } from './catalog/currencies.js';
export { OFFERS_ERROR_CODES, type OffersErrorCode } from './errors.js';

/** The Offers API: offers, the public order book and market prices (schema `offers`). */
export async function createOffersService(deps: ServiceDeps): Promise<PuperoService> {
  const config = loadOffersConfig(deps.env);
  const logger = deps.logger.child({ service: 'offers' });
  await migrate(deps.db, SCHEMA, migrations);

  const { provider, staticProvider } = createPriceProvider(config, deps.db, logger);
  const transactions = new ServiceClient('transactions', () => deps.common.urls.transactions, deps.common.serviceToken);
  const ctx: OffersContext = {
    db: deps.db,
    config,
    prices: provider,
    staticPrices: staticProvider,
    reputation: new ReputationClient(transactions, {
      timeoutMs: config.REPUTATION_TIMEOUT_MS,
      cacheMs: config.REPUTATION_CACHE_SECONDS * 1000,
      logger,
    }),
    guards: authGuards(verifierFromConfig(deps.common)),
    serviceToken: deps.common.serviceToken,
    logger,
  };

  const { app, extras } = await createServiceApp(deps, {
    name: 'offers',
    logger,
    errorSchema,
    openapi: { title: 'Pupero Offers API', description: 'Offers, the public order book and market prices.' },
  });
  registerPriceMetrics(extras.metrics, provider);
  registerCatalogRoutes(app, ctx);
  registerListingRoutes(app, ctx);
  registerMyOffersRoutes(app, ctx);
  registerOfferRoutes(app, ctx);
  registerPriceRoutes(app, ctx);

  return {
    name: 'offers',
    app,
    // Warm the price cache so the first listing does not wait for the ticker.
    start: async () => void (await provider.snapshot()),
    // A background price refresh must not write to a database that is about to close.
    stop: async () => void (await provider.settled?.()),
  };
}

/** Alerts can watch the price source: stale prices mean market offers use old values. */
function registerPriceMetrics(registry: Registry, provider: PriceProvider): void {
  new Gauge({
    name: 'pupero_offers_price_stale',
    help: '1 when the market prices could not be refreshed and the last good values are in use',
    registers: [registry],
    async collect() {
      this.set((await provider.snapshot()).stale ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pupero_offers_price_age_seconds',
    help: 'Age of the newest market price',
    registers: [registry],
    async collect() {
      const updatedAt = (await provider.snapshot()).updatedAt;
      this.set(updatedAt ? (Date.now() - updatedAt.getTime()) / 1000 : Number.NaN);
    },
  });
}
