import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpPriceProvider, type HttpPriceProviderOptions } from './http-provider.js';
import { parseJsonMapping } from './json-mapping.js';
import type { PriceQuote } from './provider.js';

/** A real ticker on a loopback port whose answer each test sets. */
type Behaviour = { status?: number; body?: string; delayMs?: number };

describe('HttpPriceProvider against a local ticker', () => {
  let ticker: FastifyInstance;
  let url: string;
  let behaviour: Behaviour;
  let calls = 0;
  let clock = 1_000_000;

  beforeAll(async () => {
    ticker = Fastify();
    ticker.get('/simple/price', async (_request, reply) => {
      calls++;
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      reply.status(behaviour.status ?? 200).header('content-type', 'application/json');
      return behaviour.body ?? '';
    });
    url = `${await ticker.listen({ port: 0, host: '127.0.0.1' })}/simple/price?ids=monero&vs_currencies=usd,eur`;
  });
  afterAll(async () => {
    await ticker?.close();
  });
  beforeEach(() => {
    calls = 0;
    behaviour = { body: JSON.stringify({ monero: { usd: 160.5, eur: 150 } }) };
  });

  const provider = (overrides: Partial<HttpPriceProviderOptions> = {}) =>
    new HttpPriceProvider({
      url,
      mapping: parseJsonMapping('monero'),
      timeoutMs: 5000, // generous: the machine is shared and busy
      ttlMs: 60_000,
      retryMs: 10_000,
      maxAgeMs: 600_000,
      now: () => clock,
      ...overrides,
    });

  it('fetches, maps and caches prices for the TTL', async () => {
    const p = provider();
    const first = await p.snapshot();
    expect(first.source).toBe('http');
    expect(first.stale).toBe(false);
    expect(first.prices.get('USD')?.price).toBe(16_050_000_000n);
    expect(first.prices.get('EUR')?.price).toBe(15_000_000_000n);
    expect(first.updatedAt?.getTime()).toBe(clock);
    await p.snapshot();
    clock += 59_999;
    await p.snapshot();
    expect(calls).toBe(1);
    clock += 1;
    behaviour.body = JSON.stringify({ monero: { usd: 170 } });
    // Past the TTL: the last good prices at once, the refresh in the background.
    expect((await p.snapshot()).prices.get('USD')?.price).toBe(16_050_000_000n);
    await p.settled();
    const later = await p.snapshot();
    expect(calls).toBe(2);
    expect(later.prices.get('USD')?.price).toBe(17_000_000_000n);
    // EUR was left out of this answer: its last good price stays, with its older time.
    expect(later.prices.get('EUR')?.price).toBe(15_000_000_000n);
    expect(later.prices.get('EUR')!.updatedAt.getTime()).toBeLessThan(later.prices.get('USD')!.updatedAt.getTime());
  });

  it('shares one request between concurrent callers', async () => {
    behaviour.delayMs = 50;
    const p = provider();
    const snapshots = await Promise.all([p.snapshot(), p.snapshot(), p.snapshot()]);
    expect(calls).toBe(1);
    expect(snapshots.every((s) => s.prices.get('USD')?.price === 16_050_000_000n)).toBe(true);
  });

  for (const [name, failure, reason] of [
    ['a timeout', { delayMs: 3000 }, /did not answer within 1000 ms/],
    ['bad JSON', { body: '{"monero": {"usd": 16' }, /did not answer JSON/],
    ['an HTTP error', { status: 503, body: '{"error":"busy"}' }, /answered HTTP 503/],
    ['JSON without prices', { body: JSON.stringify({ status: { error_code: 429 } }) }, /no usable price/],
  ] as const) {
    it(`keeps the last good prices and reports staleness on ${name}`, async () => {
      const p = provider({ timeoutMs: 1000 });
      await p.snapshot();
      clock += 60_000;
      behaviour = failure;
      const t0 = Date.now();
      const during = await p.snapshot();
      expect(Date.now() - t0).toBeLessThan(500); // nobody waits for the ticker
      expect(during.prices.get('USD')?.price).toBe(16_050_000_000n);
      await p.settled();
      const stale = await p.snapshot();
      expect(stale.stale).toBe(true);
      expect(stale.error).toMatch(reason);
      expect(stale.error).not.toContain('127.0.0.1');
      expect(stale.prices.get('USD')?.price).toBe(16_050_000_000n);
      // No new attempt before the retry delay: callers get the last good prices at once.
      const callsBefore = calls;
      clock += 9_999;
      expect((await p.snapshot()).stale).toBe(true);
      expect(calls).toBe(callsBefore);
      // The ticker recovers: fresh again.
      behaviour = { body: JSON.stringify({ monero: { usd: 155 } }) };
      clock += 1;
      expect((await p.snapshot()).stale).toBe(true);
      await p.settled();
      const fresh = await p.snapshot();
      expect(fresh.stale).toBe(false);
      expect(fresh.error).toBeUndefined();
      expect(fresh.prices.get('USD')?.price).toBe(15_500_000_000n);
    });
  }

  it('has no prices and is stale before the first success', async () => {
    behaviour = { status: 500 };
    const p = provider();
    const empty = await p.snapshot();
    expect(empty.prices.size).toBe(0);
    expect(empty.updatedAt).toBeNull();
    expect(empty.stale).toBe(true);
  });

  it('starts from stored last good prices, marked stale when old', async () => {
    behaviour = { delayMs: 3000 };
    const saved: Array<ReadonlyMap<string, bigint>> = [];
    const stored = new Map<string, PriceQuote>([['USD', { price: 15_800_000_000n, updatedAt: new Date(clock - 3_600_000) }]]);
    const p = provider({ timeoutMs: 1000, persist: { load: async () => stored, save: async (prices) => void saved.push(prices) } });
    const snapshot = await p.snapshot();
    expect(snapshot.prices.get('USD')?.price).toBe(15_800_000_000n);
    expect(snapshot.stale).toBe(true);
    await p.settled(); // that refresh times out
    expect((await p.snapshot()).error).toMatch(/did not answer within/);
    behaviour = { body: JSON.stringify({ monero: { usd: 161 } }) };
    clock += 10_000;
    await p.snapshot();
    await p.settled();
    expect((await p.snapshot()).prices.get('USD')?.price).toBe(16_100_000_000n);
    expect(saved).toEqual([new Map([['USD', 16_100_000_000n]])]);
  });
});
