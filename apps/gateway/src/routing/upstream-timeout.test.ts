import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PuperoService } from '@pupero/http';
import { startLoneGateway } from './test-gateway.js';

/** The gateway's upstream timeout (GATEWAY_UPSTREAM_TIMEOUT_MS, 30 s by default; 300 ms here). */
describe('gateway upstream timeout and 503s', () => {
  let slow: Server;
  let gateway: PuperoService;
  let base: string;
  let downCalls = 0;

  beforeAll(async () => {
    // A stand-in offers service: /slow never answers in time, everything else at once.
    slow = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/offers/slow')) return void setTimeout(() => res.end('{"late":true}'), 2000).unref();
      if (req.url?.startsWith('/offers/down')) {
        downCalls++;
        res.writeHead(503, { 'retry-after': '2' });
        return void res.end(
          '{"error":{"code":"dependency_unavailable","message":"The database is unavailable right now; try again shortly.","details":{"dependency":"database"}}}',
        );
      }
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    ({ gateway, base } = await startLoneGateway({
      OFFERS_URL: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
      GATEWAY_UPSTREAM_TIMEOUT_MS: '300',
    }));
  });
  afterAll(async () => {
    await gateway?.app.close();
    slow?.closeAllConnections();
    await new Promise((r) => slow?.close(r));
  });

  it('answers 504 upstream_timeout with Retry-After when a service is slower than the timeout', async () => {
    const t0 = Date.now();
    const res = await fetch(`${base}/offers/slow`);
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(504);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toEqual({
      error: {
        code: 'upstream_timeout',
        message: expect.stringMatching(/offers service did not answer within 0\.3 s/),
        details: { service: 'offers', timeout_ms: 300 },
      },
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
  });

  it("hands a service's 503 with Retry-After to the client at once (a GET is not retried by the gateway)", async () => {
    const t0 = Date.now();
    const res = await fetch(`${base}/offers/down`);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect([res.status, res.headers.get('retry-after'), downCalls]).toEqual([503, '2', 1]);
    expect(((await res.json()) as { error: { details: unknown } }).error.details).toEqual({ dependency: 'database' });
  });

  it('keeps the slow replica in use: the next fast request goes through', async () => {
    const res = await fetch(`${base}/offers`);
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
  });
});
