import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from './resp-client.js';
import { startTestStack, type ApiResponse, type TestStack } from '@pupero/stack/testing';

describe('gateway per-IP rate limit', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ services: ['offers'], env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 429 rate_limited with Retry-After past the limit, and never limits health checks', async () => {
    const statuses: number[] = [];
    let last: ApiResponse | undefined;
    for (let i = 0; i < 7; i++) {
      last = await stack.request('GET', '/price');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(last!.body.error.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
  });
});

// Redis runs on every machine here (127.0.0.1:6379); REDIS_URL may point elsewhere.
const REDIS_URL = process.env.PUPERO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('gateway per-IP rate limit across replicas (REDIS_URL)', () => {
  let a: TestStack;
  let b: TestStack;
  // A fresh key prefix per run: counters of other runs (or other helpers) never count here.
  const env = { RATE_LIMIT_PER_MINUTE: '5', REDIS_URL, RATE_LIMIT_REDIS_PREFIX: `pupero-test-${randomUUID()}:` };
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestStack({ services: ['offers'], env }), startTestStack({ services: ['offers'], env })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('counts one address over both gateways: 5 requests spread over two replicas, then 429 on each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await (i % 2 ? b : a).request('GET', '/price')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // In memory each gateway would have allowed 5 of its own; shared, both refuse the 6th.
    const [fromA, fromB] = [await a.request('GET', '/price'), await b.request('GET', '/price')];
    expect([fromA.status, fromB.status]).toEqual([429, 429]);
    expect(fromB.body.error.code).toBe('rate_limited');
    expect(Number(fromB.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('RespClient', () => {
  it('speaks RESP to the real Redis: strings, integers, arrays, nulls and errors', async () => {
    const client = new RespClient(REDIS_URL);
    const key = `pupero-test-${randomUUID()}`;
    try {
      expect(await client.command(['PING'])).toBe('PONG');
      expect(await client.command(['INCR', key])).toBe(1);
      expect(await client.command(['EVAL', 'return {KEYS[1], ARGV[1], 42}', 1, key, 'x'])).toEqual([key, 'x', 42]);
      expect(await client.command(['GET', `${key}-missing`])).toBeNull();
      await expect(client.command(['NOSUCHCOMMAND'])).rejects.toThrow(/^Redis: ERR/);
    } finally {
      await client.command(['DEL', key]);
      client.close();
    }
  });

  it('fails a command (not the process) when Redis is unreachable', async () => {
    const client = new RespClient('redis://127.0.0.1:1');
    await expect(client.command(['PING'])).rejects.toThrow();
    client.close();
  });
});
