import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, type App } from './app.js';
import { createLogger } from './logging.js';
import { firstResponse, rawClient, type RawClient } from './testing.js';

const errorShape = (code: string) => ({ error: { code, message: expect.any(String) } });

/** The ms until the server closed the connection, or -1 when it is still open after `ms`. */
const closedWithin = (client: RawClient, ms: number) =>
  Promise.race([client.closed, new Promise<number>((r) => setTimeout(() => r(-1), ms))]);

describe('HTTP edges of every Pupero listener (timeouts, parser errors, URL and connection limits)', () => {
  let app: App;
  let port: number;
  beforeAll(async () => {
    ({ app } = await createHttpApp({
      name: 'edges',
      logger: createLogger({ name: 'edges', level: 'silent' }),
      limits: { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300, idleTimeoutMs: 5000, maxUrlBytes: 2048 },
      maxConnectionsPerAddress: 4,
    }));
    app.post('/echo', async (request) => ({ got: request.body }));
    app.get('/hello', async () => ({ hello: 'world' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app?.close());

  /** Sends `head`, then `chunk` every `everyMs`: the server must answer 408 request_timeout and close within `withinMs`. */
  async function expectCutOffWhileDripping(head: string, chunk: string, everyMs: number, withinMs: number): Promise<void> {
    const client = await rawClient(port, head);
    const drip = setInterval(() => client.socket.writable && client.socket.write(chunk), everyMs);
    const elapsed = await closedWithin(client, 5000);
    clearInterval(drip);
    client.socket.destroy();
    expect(elapsed).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(withinMs);
    expect(firstResponse(client.text())).toMatchObject({ status: 408, body: errorShape('request_timeout') });
  }

  it('431 headers_too_large in the error shape for huge headers (was Fastify own body)', async () => {
    const client = await rawClient(port, `GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await client.closed;
    const res = firstResponse(client.text());
    expect(res.status).toBe(431);
    expect(res.body).toEqual(errorShape('headers_too_large'));
    expect(res.headers).toContain('content-type: application/json');
  });

  it('400 bad_request in the error shape for a request that is not HTTP', async () => {
    const client = await rawClient(port, 'HELLO THERE\r\n\r\n');
    await client.closed;
    const res = firstResponse(client.text());
    expect([res.status, res.body]).toEqual([400, errorShape('bad_request')]);
  });

  it('414 uri_too_long for a URL over the limit, on known and unknown routes', async () => {
    for (const path of ['/hello', '/no-such-route']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}?q=${'a'.repeat(3000)}`);
      expect(res.status).toBe(414);
      expect(await res.json()).toEqual(errorShape('uri_too_long'));
    }
    expect((await fetch(`http://127.0.0.1:${port}/hello?q=${'a'.repeat(1000)}`)).status).toBe(200);
  });

  it('408 request_timeout for a body dribbled at 2 bytes/s, cut off within the request timeout', async () => {
    const head = 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    // 800 ms request timeout, checked every 100 ms; generous for a busy machine.
    await expectCutOffWhileDripping(head, '  ', 500, 2500);
  });

  it('408 for headers dribbled byte by byte (headers timeout)', async () => {
    await expectCutOffWhileDripping('GET /hello HTTP/1.1\r\n', 'X', 100, 2000);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const client = await rawClient(port, 'GET /hello HTTP/1.1\r\nHost: x\r\n\r\n');
    const elapsed = await closedWithin(client, 5000);
    client.socket.destroy();
    expect(firstResponse(client.text()).status).toBe(200);
    expect(elapsed).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(2000);
  });

  it('caps open connections per address: over the cap 429 too_many_connections and closed; a slot frees on close', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => rawClient(port)));
    const over = await rawClient(port, 'GET /hello HTTP/1.1\r\nHost: x\r\n\r\n');
    await over.closed;
    const res = firstResponse(over.text());
    expect([res.status, res.body]).toEqual([429, errorShape('too_many_connections')]);
    expect(res.headers).toContain('connection: close');
    expect(res.headers).toContain('retry-after: 1');
    // A connection over the cap that sends nothing does not keep its slot for long either.
    const silent = await rawClient(port);
    expect(await silent.closed).toBeLessThan(2000);
    const [first] = held;
    assert(first);
    first.socket.destroy();
    await first.closed;
    const again = await rawClient(port, 'GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await again.closed;
    expect(firstResponse(again.text()).status).toBe(200);
    held.forEach((c) => c.socket.destroy());
  });
});
