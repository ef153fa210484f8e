import type { Logger } from 'pino';
import type { Db } from '@pupero/db';
import type { AuthGuards } from '@pupero/auth';
import type { OffersConfig } from './config.js';
import type { PriceProvider } from './prices/provider.js';
import type { StaticPriceProvider } from './prices/static-provider.js';
import type { ReputationClient } from './reputation/client.js';

/** What the route modules of the Offers API share. */
export interface OffersContext {
  db: Db;
  config: OffersConfig;
  prices: PriceProvider;
  /** Set when the static provider is the active one (admins can adjust it). */
  staticPrices?: StaticPriceProvider;
  reputation: ReputationClient;
  guards: AuthGuards;
  serviceToken: string;
  logger: Logger;
}
