import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';

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
    let last;
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
