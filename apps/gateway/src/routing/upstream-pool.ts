import type { ServiceUrls } from '@pupero/config';
import type { UpstreamName } from './routes.js';

/** The gateway's variable for each service: one URL, or several replicas separated by commas. */
export const UPSTREAM_ENV: Record<UpstreamName, string> = {
  login: 'LOGIN_URL',
  offers: 'OFFERS_URL',
  transactions: 'TRANSACTIONS_URL',
  walletManager: 'WALLET_URL',
};

export function parseUpstreamList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

export interface UpstreamPoolOptions {
  /** How often each replica's /readyz is polled (default 2 s). */
  intervalMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  onChange?: (url: string, healthy: boolean) => void;
}

/**
 * The replicas of one service. Requests go round robin over the healthy ones (per request, not
 * per connection, so keep-alive does not pin a client to one replica). A replica whose /readyz
 * fails, or whose request failed at the connection level, is taken out; it is put back when its
 * /readyz answers 200 again. With no healthy replica left, all are tried in turn (the caller then
 * answers 503 upstream_unavailable if they are really down).
 */
export class UpstreamPool {
  private readonly healthy = new Map<string, boolean>();
  private cursor = 0;
  private timer?: NodeJS.Timeout;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly urls: readonly string[],
    private readonly options: UpstreamPoolOptions = {},
  ) {
    if (urls.length === 0) throw new Error('an upstream pool needs at least one URL');
    for (const url of urls) this.healthy.set(url, true);
    this.fetchFn = options.fetch ?? fetch;
  }

  next(): string {
    const up = this.urls.filter((u) => this.healthy.get(u));
    const candidates = up.length ? up : this.urls;
    const url = candidates[this.cursor % candidates.length]!; // the constructor refuses an empty pool
    this.cursor = (this.cursor + 1) % 1_000_000;
    return url;
  }

  isHealthy(url: string): boolean {
    return this.healthy.get(url) === true;
  }

  healthyUrls(): string[] {
    return this.urls.filter((u) => this.healthy.get(u));
  }

  /** A request to this replica failed before it answered: out until its /readyz passes. */
  reportFailure(url: string): void {
    if (this.urls.length > 1) this.set(url, false);
  }

  /** Polls every replica's /readyz once. */
  async check(): Promise<void> {
    await Promise.all(
      this.urls.map(async (url) => {
        let ok: boolean;
        try {
          const response = await this.fetchFn(`${url}/readyz`, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000) });
          ok = response.status === 200;
          await response.body?.cancel().catch(() => undefined);
        } catch {
          ok = false;
        }
        this.set(url, ok);
      }),
    );
  }

  /** Starts polling (only worth it with several replicas: one URL is always used). */
  start(): void {
    if (this.urls.length < 2 || this.timer) return;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private set(url: string, healthy: boolean): void {
    if (this.healthy.get(url) === healthy) return;
    this.healthy.set(url, healthy);
    this.options.onChange?.(url, healthy);
  }
}

/**
 * One pool per service from the gateway's environment: LOGIN_URL=http://login-1:8001,http://login-2:8001
 * lists replicas; a single URL (or none: the resolved default) is a pool of one.
 */
export function upstreamPools(
  env: Record<string, string | undefined>,
  urls: ServiceUrls,
  options: UpstreamPoolOptions = {},
): Record<UpstreamName, UpstreamPool> {
  const pool = (name: UpstreamName) => {
    const listed = env[UPSTREAM_ENV[name]];
    return new UpstreamPool(listed ? parseUpstreamList(listed) : [urls[name]], options);
  };
  return { login: pool('login'), offers: pool('offers'), transactions: pool('transactions'), walletManager: pool('walletManager') };
}
