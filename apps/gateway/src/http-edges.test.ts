import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { firstResponse, rawClient, type RawClient } from '@pupero/http/testing';

const CAP = 120;
const DRIBBLERS = 100;

/** Requests the login service has answered (its own metric), /metrics itself left out. */
async function loginRequests(stack: TestStack): Promise<number> {
  const text = await (await fetch(`${stack.common.urls.login}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('pupero_http_requests_total{') && !line.includes('route="/metrics"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

const port = (stack: TestStack) => Number(new URL(stack.url).port);
const LOGIN_HEAD = 'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';

/** A client that sends its headers, then 2 bytes of body every 500 ms (the slow body). */
async function dribbler(p: number): Promise<RawClient & { stop(): void }> {
  const client = await rawClient(p, LOGIN_HEAD);
  const timer = setInterval(() => client.socket.writable && client.socket.write('  '), 500);
  void client.closed.then(() => clearInterval(timer));
  return { ...client, stop: () => (clearInterval(timer), client.socket.destroy()) };
}

/** Issue 13, hostile HTTP at the gateway: every refusal in the error shape, slow clients cut off, a per-address cap. */
describe('HTTP edges at the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      services: ['login'],
      env: { HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '3000', MAX_CONNECTIONS_PER_ADDRESS: String(CAP) },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('431 headers_too_large in the error shape for huge headers', async () => {
    const client = await rawClient(port(stack), `GET /offers HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(20_000)}\r\n\r\n`);
    await client.closed;
    expect(firstResponse(client.text())).toMatchObject({ status: 431, body: { error: { code: 'headers_too_large' } } });
  });

  it('414 uri_too_long from the gateway itself on a proxied route; the service never sees it', async () => {
    const before = await loginRequests(stack);
    const res = await stack.request('GET', `/auth/me?x=${'a'.repeat(9000)}`);
    expect([res.status, res.body.error.code]).toEqual([414, 'uri_too_long']);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await loginRequests(stack)).toBe(before);
  });

  it('400 bad_request in the error shape for a malformed request line', async () => {
    const client = await rawClient(port(stack), 'GET /offers HTTP/9.Z\r\n\r\n');
    await client.closed;
    expect(firstResponse(client.text())).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
  });

  it(`${DRIBBLERS} bodies dribbled at 4 bytes/s are all answered 408 and closed within the request timeout, while others are served`, async () => {
    const started = Date.now();
    const clients = await Promise.all(Array.from({ length: DRIBBLERS }, () => dribbler(port(stack))));
    // The gateway keeps serving everyone else meanwhile.
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
    const closedAfter = await Promise.all(
      clients.map((c) => Promise.race([c.closed, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))])),
    );
    clients.forEach((c) => c.stop());
    const statuses = clients.map((c) => firstResponse(c.text()).status);
    console.info(
      JSON.stringify({ test: 'slow-body', clients: DRIBBLERS, all_closed_ms: Date.now() - started, slowest_ms: Math.max(...closedAfter) }),
    );
    expect(closedAfter.filter((ms) => ms < 0)).toEqual([]);
    // 3 s request timeout, checked every 500 ms, plus a busy 2-core machine.
    expect(Math.max(...closedAfter)).toBeLessThan(7000);
    expect(new Set(statuses)).toEqual(new Set([408]));
    expect(firstResponse(clients[0]?.text() ?? '').body.error.code).toBe('request_timeout');
  });

  it(`caps open connections per address at ${CAP}: the next one gets 429 too_many_connections, and a freed slot is usable again`, async () => {
    const held = await Promise.all(Array.from({ length: CAP }, () => dribbler(port(stack))));
    const over = await rawClient(port(stack), 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await over.closed;
    const res = firstResponse(over.text());
    held.forEach((c) => c.stop());
    await Promise.all(held.map((c) => c.closed));
    expect([res.status, res.body.error.code]).toEqual([429, 'too_many_connections']);
    expect(res.headers).toContain('retry-after: 1');
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
  });
});
