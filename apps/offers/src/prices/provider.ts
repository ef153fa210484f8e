/** Market prices of 1 XMR per fiat currency, from whichever source is configured. */

export interface PriceQuote {
  /** Fiat per 1 XMR, scaled by 10^8. */
  price: bigint;
  updatedAt: Date;
}

export type PriceSource = 'static' | 'http';

export interface PriceSnapshot {
  source: PriceSource;
  prices: ReadonlyMap<string, PriceQuote>;
  /** When the newest of these prices was set or fetched; null when there are none yet. */
  updatedAt: Date | null;
  /** True when the prices could not be refreshed in time: they are the last good values. */
  stale: boolean;
  /** Why the last refresh failed (never contains the URL: it may carry an API key). */
  error?: string;
}

export interface PriceProvider {
  readonly source: PriceSource;
  snapshot(): Promise<PriceSnapshot>;
  /** Resolves when no background refresh is running. */
  settled?(): Promise<void>;
}

export function newestUpdate(prices: ReadonlyMap<string, PriceQuote>): Date | null {
  let newest: Date | null = null;
  for (const quote of prices.values()) if (!newest || quote.updatedAt > newest) newest = quote.updatedAt;
  return newest;
}
