import { z } from 'zod';
import type { Logger } from 'pino';
import type { ServiceClient } from '@pupero/http';
import { XMR_AMOUNT_TEXT } from '@pupero/money';

/** An offer owner's track record, as the Transactions API reports it. */
export interface Reputation {
  completed_trades: number;
  /** XMR traded in completed trades, decimal string. */
  volume: string;
  feedback: { positive: number; neutral: number; negative: number };
}

export const NO_TRADES: Reputation = Object.freeze({
  completed_trades: 0,
  volume: '0',
  feedback: Object.freeze({ positive: 0, neutral: 0, negative: 0 }),
});

const count = z.number().int().nonnegative();
const answerSchema = z.object({
  items: z.record(
    z.string(),
    z.object({
      completed_trades: count,
      volume: z.string().regex(XMR_AMOUNT_TEXT),
      feedback: z.object({ positive: count, neutral: count, negative: count }),
    }),
  ),
});

export interface ReputationClientOptions {
  timeoutMs: number;
  /** How long a fetched reputation is reused. */
  cacheMs: number;
  /** After a failed call, answer "unknown" without calling again for this long. */
  backoffMs?: number;
  maxEntries?: number;
  logger?: Pick<Logger, 'warn'>;
  now?: () => number;
}

/**
 * Fetches owner reputations from the Transactions API (GET /internal/reputation?user_ids=a,b) in
 * one call per page, with a short timeout and a cache. When the Transactions API cannot answer,
 * an owner's reputation is the last one fetched, or null ("unknown"): a listing never fails
 * because of it.
 */
export class ReputationClient {
  private readonly cache = new Map<string, { value: Reputation; expiresAt: number }>();
  private failedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(
    private readonly transactions: Pick<ServiceClient, 'get'>,
    private readonly options: ReputationClientOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async forUsers(userIds: readonly string[], requestId?: string): Promise<Map<string, Reputation | null>> {
    const now = this.now();
    const unique = [...new Set(userIds)];
    const missing = unique.filter((id) => (this.cache.get(id)?.expiresAt ?? 0) <= now);
    const backoffMs = this.options.backoffMs ?? Math.min(this.options.cacheMs, 5000);
    if (missing.length && now - this.failedAt >= backoffMs) await this.fetch(missing, requestId);
    return new Map(unique.map((id) => [id, this.cache.get(id)?.value ?? null]));
  }

  private async fetch(userIds: string[], requestId?: string): Promise<void> {
    try {
      const answer = answerSchema.parse(
        await this.transactions.get(`/internal/reputation?user_ids=${userIds.map(encodeURIComponent).join(',')}`, {
          timeoutMs: this.options.timeoutMs,
          requestId,
        }),
      );
      const expiresAt = this.now() + this.options.cacheMs;
      for (const id of userIds) this.remember(id, answer.items[id] ?? NO_TRADES, expiresAt);
    } catch (error) {
      this.failedAt = this.now();
      this.options.logger?.warn({ reason: (error as Error).message }, 'reputation unavailable; offers show it as unknown');
    }
  }

  private remember(id: string, value: Reputation, expiresAt: number): void {
    this.cache.delete(id);
    this.cache.set(id, { value, expiresAt });
    const max = this.options.maxEntries ?? 10_000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }
}
