import type { Db } from '@pupero/db';
import { loadQuotes, saveQuotes } from './price-store.js';
import { newestUpdate, type PriceProvider, type PriceQuote, type PriceSnapshot } from './provider.js';

export interface StaticPriceProviderOptions {
  /** Prices from config (PRICES), scaled by 10^8. */
  configured: ReadonlyMap<string, bigint>;
  db: Db;
  /**
   * How long a loaded snapshot is reused. Admin changes made through this process are seen at
   * once; through another replica, within this time.
   */
  reloadMs?: number;
  now?: () => number;
}

/**
 * Offline prices: the configured ones, overridden by what admins set (stored in the database so
 * a restart keeps them). The default provider: it needs no internet.
 */
export class StaticPriceProvider implements PriceProvider {
  readonly source = 'static' as const;
  private readonly configuredAt: Date;
  private cached?: { snapshot: PriceSnapshot; loadedAt: number };
  private readonly now: () => number;

  constructor(private readonly options: StaticPriceProviderOptions) {
    this.now = options.now ?? Date.now;
    this.configuredAt = new Date(this.now());
  }

  async snapshot(): Promise<PriceSnapshot> {
    const reloadMs = this.options.reloadMs ?? 2000;
    if (this.cached && this.now() - this.cached.loadedAt < reloadMs) return this.cached.snapshot;
    const prices = new Map<string, PriceQuote>();
    for (const [currency, price] of this.options.configured) prices.set(currency, { price, updatedAt: this.configuredAt });
    for (const [currency, quote] of await loadQuotes(this.options.db, 'static')) prices.set(currency, quote);
    const snapshot: PriceSnapshot = { source: 'static', prices, updatedAt: newestUpdate(prices), stale: false };
    this.cached = { snapshot, loadedAt: this.now() };
    return snapshot;
  }

  /** Sets some prices (others keep their values); kept across restarts. */
  async setPrices(prices: ReadonlyMap<string, bigint>, by: string): Promise<PriceSnapshot> {
    await saveQuotes(this.options.db, 'static', prices, { by });
    this.cached = undefined;
    return this.snapshot();
  }
}
