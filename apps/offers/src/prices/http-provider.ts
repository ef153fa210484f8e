import type { Logger } from 'pino';
import { extractPrices, type JsonMapping } from './json-mapping.js';
import { newestUpdate, type PriceProvider, type PriceQuote, type PriceSnapshot } from './provider.js';

export interface HttpPriceProviderOptions {
  url: string;
  mapping: JsonMapping;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Prices younger than this are served from memory without asking the ticker. */
  ttlMs: number;
  /** After a failed refresh, wait this long before the next attempt (callers get the last good values). */
  retryMs: number;
  /** Prices older than this are reported stale even if the last refresh did not fail. */
  maxAgeMs: number;
  /** Keeps the last good values across restarts (optional). */
  persist?: {
    load(): Promise<Map<string, PriceQuote>>;
    save(prices: ReadonlyMap<string, bigint>, at: Date): Promise<void>;
  };
  logger?: Pick<Logger, 'warn' | 'info'>;
  now?: () => number;
}

/**
 * Prices from a ticker over HTTP (e.g. CoinGecko's simple/price). A refresh happens on demand
 * when the cached prices are older than the TTL (in the background once there are prices);
 * concurrent callers share one request. On any
 * failure (timeout, HTTP error, bad JSON, no usable price) the last good prices stay in use and
 * the snapshot says `stale: true` with the reason.
 */
export class HttpPriceProvider implements PriceProvider {
  readonly source = 'http' as const;
  private last?: { prices: Map<string, PriceQuote>; fetchedAt: number };
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastError?: string;
  private inflight?: Promise<void>;
  private loaded?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: HttpPriceProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The current prices. Past the TTL a refresh starts; callers wait for it only when there are no
   * prices at all — otherwise they get the last good prices at once (a slow ticker never slows
   * the order book down).
   */
  async snapshot(): Promise<PriceSnapshot> {
    await this.loadPersisted();
    const now = this.now();
    const due = !this.last || now - this.last.fetchedAt >= this.options.ttlMs;
    const mayTry = this.lastError === undefined || now - this.lastAttemptAt >= this.options.retryMs;
    if (due && mayTry) {
      const refreshing = this.refresh();
      if (!this.last) await refreshing;
    }
    return this.current();
  }

  /** Asks the ticker now (shared with a refresh already running); never rejects. */
  refresh(): Promise<void> {
    this.inflight ??= this.fetchPrices().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Resolves when no refresh is running (for tests and orderly shutdown). */
  settled(): Promise<void> {
    return this.inflight ?? Promise.resolve();
  }

  private current(): PriceSnapshot {
    const prices = this.last?.prices ?? new Map<string, PriceQuote>();
    const tooOld = !this.last || this.now() - this.last.fetchedAt > this.options.maxAgeMs;
    return {
      source: 'http',
      prices,
      updatedAt: newestUpdate(prices),
      stale: this.lastError !== undefined || tooOld,
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
    };
  }

  private async fetchPrices(): Promise<void> {
    this.lastAttemptAt = this.now();
    try {
      const prices = await this.request();
      const at = new Date(this.now());
      // A currency the ticker left out this time keeps its last good price (and its older time).
      const merged = new Map(this.last?.prices ?? []);
      for (const [currency, price] of prices) merged.set(currency, { price, updatedAt: at });
      this.last = { prices: merged, fetchedAt: at.getTime() };
      if (this.lastError !== undefined) this.options.logger?.info({ currencies: prices.size }, 'price ticker answers again');
      this.lastError = undefined;
      await this.options.persist?.save(prices, at).catch((error: Error) => {
        this.options.logger?.warn({ err: error.message }, 'could not store the ticker prices');
      });
    } catch (error) {
      this.lastError = (error as Error).message;
      this.options.logger?.warn({ reason: this.lastError }, 'price ticker failed; keeping the last good prices');
    }
  }

  private async request(): Promise<Map<string, bigint>> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new Error(`the ticker did not answer within ${this.options.timeoutMs} ms`, { cause: error });
      throw new Error('the ticker could not be reached', { cause: error });
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new Error(`the ticker's answer did not arrive within ${this.options.timeoutMs} ms`);
    }
    if (!response.ok) throw new Error(`the ticker answered HTTP ${response.status}`);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new Error('the ticker did not answer JSON');
    }
    const prices = extractPrices(document, this.options.mapping);
    if (!prices.size) throw new Error('the ticker answer has no usable price where the mapping points');
    return prices;
  }

  private loadPersisted(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.options.persist) return;
      try {
        const prices = await this.options.persist.load();
        if (!prices.size || this.last) return;
        const oldest = Math.min(...[...prices.values()].map((q) => q.updatedAt.getTime()));
        this.last = { prices, fetchedAt: oldest };
      } catch (error) {
        this.options.logger?.warn({ err: (error as Error).message }, 'could not load the stored ticker prices');
      }
    })();
    return this.loaded;
  }
}
