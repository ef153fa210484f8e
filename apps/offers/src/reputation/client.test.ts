import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { ServiceClient } from '@pupero/http';
import { NO_TRADES, ReputationClient } from './client.js';

const TOKEN = 'test-service-token-0123456789abcdef';

/** A stand-in for the Transactions API's internal reputation endpoint, on a real port. */
describe('ReputationClient', () => {
  let server: FastifyInstance;
  let baseUrl: string;
  let mode: 'ok' | 'slow' | 'error' | 'garbage';
  let requests: string[] = [];
  let clock = 0;

  beforeAll(async () => {
    server = Fastify();
    server.get('/internal/reputation', async (request, reply) => {
      if (request.headers['x-service-token'] !== TOKEN)
        return reply.status(403).send({ error: { code: 'service_credential_required', message: 'no' } });
      const ids = String((request.query as { user_ids: string }).user_ids).split(',');
      requests.push(ids.join(','));
      if (mode === 'slow') await new Promise((r) => setTimeout(r, 2000));
      if (mode === 'error') return reply.status(500).send({ error: { code: 'internal_error', message: 'boom' } });
      if (mode === 'garbage') return { items: Object.fromEntries(ids.slice(0, 1).map((id) => [id, { completed_trades: -1 }])) };
      const items: Record<string, unknown> = {};
      for (const id of ids) {
        if (id === 'newcomer') continue; // users without trades may be left out of the answer
        items[id] = { completed_trades: 7, volume: '12.5', feedback: { positive: 6, neutral: 1, negative: 0 }, extra_field: 'ignored' };
      }
      return { items };
    });
    baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    mode = 'ok';
    requests = [];
    clock = 0;
  });

  // Generous timeouts (the machine is shared and busy) except where the timeout is the subject.
  const client = (url = () => baseUrl, timeoutMs = 5000) =>
    new ReputationClient(new ServiceClient('transactions', url, TOKEN), { timeoutMs, cacheMs: 30_000, backoffMs: 5_000, now: () => clock });

  it('fetches many users in one call and caches them for the TTL', async () => {
    const c = client();
    const first = await c.forUsers(['a', 'b', 'a', 'newcomer']);
    expect(requests).toEqual(['a,b,newcomer']);
    expect(first.get('a')).toEqual({ completed_trades: 7, volume: '12.5', feedback: { positive: 6, neutral: 1, negative: 0 } });
    expect(first.get('newcomer')).toEqual(NO_TRADES);
    clock += 29_999;
    await c.forUsers(['a', 'b', 'c']);
    expect(requests).toEqual(['a,b,newcomer', 'c']);
    clock += 1;
    await c.forUsers(['a']);
    expect(requests).toEqual(['a,b,newcomer', 'c', 'a']);
  });

  it('answers null (unknown) at once when the Transactions API is down, and retries after the backoff', async () => {
    const down = client(() => 'http://127.0.0.1:1');
    expect((await down.forUsers(['a'])).get('a')).toBeNull();
    const c = client();
    mode = 'error';
    expect((await c.forUsers(['a'])).get('a')).toBeNull();
    mode = 'ok';
    clock += 4_999;
    expect((await c.forUsers(['a'])).get('a')).toBeNull();
    expect(requests).toEqual(['a']);
    clock += 1;
    expect((await c.forUsers(['a'])).get('a')?.completed_trades).toBe(7);
  });

  it('gives up after its timeout and keeps the last known value', async () => {
    const c = client(undefined, 300);
    await c.forUsers(['a']);
    clock += 30_000;
    mode = 'slow';
    const t0 = Date.now();
    const result = await c.forUsers(['a', 'b']);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(result.get('a')?.completed_trades).toBe(7);
    expect(result.get('b')).toBeNull();
  });

  it('does not trust an answer of the wrong shape', async () => {
    mode = 'garbage';
    expect((await client().forUsers(['a'])).get('a')).toBeNull();
  });
});
