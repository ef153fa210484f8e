import { createHttpApp, ServiceClient, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { authGuards, verifierFromConfig } from '@pupero/auth';
import { migrations } from './migrations.js';
import { loadOffersConfig } from './config.js';
import type { OffersContext } from './context.js';
import { registerCatalogRoutes } from './catalog/routes.js';
import { registerListingRoutes } from './listing/routes.js';
import { registerOfferRoutes } from './offers/routes.js';
import { registerPriceRoutes } from './prices/routes.js';
import { createPriceProvider } from './prices/create-provider.js';
import { ReputationClient } from './reputation/client.js';

export const SCHEMA = 'offers';

export { PAYMENT_METHODS, PAYMENT_METHOD_CODES, type PaymentMethod } from './catalog/payment-methods.js';
export { CURRENCY_CODES, isCurrencyCode } from './catalog/currencies.js';

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

  const { app } = await createHttpApp({
    name: 'offers',
    logger,
    bodyLimit: deps.common.bodyLimit,
    openapi: { title: 'Pupero Offers API', description: 'Offers, the public order book and market prices.' },
    readiness: { database: async () => void (await deps.db.query('SELECT 1')) },
  });
  registerCatalogRoutes(app, ctx);
  registerListingRoutes(app, ctx);
  registerOfferRoutes(app, ctx);
  registerPriceRoutes(app, ctx);

  return {
    name: 'offers',
    app,
    // Warm the price cache so the first listing does not wait for the ticker.
    start: async () => void (await provider.snapshot()),
    stop: async () => {},
  };
}
