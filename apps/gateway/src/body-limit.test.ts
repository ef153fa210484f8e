import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';

const FIVE_MB = 5 * 1024 * 1024;
const hugeJson = () => `{"username":"${'a'.repeat(FIVE_MB)}","password":"x"}`;

/** Sends a body in 64 KiB chunks without Content-Length (Transfer-Encoding: chunked). */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 65_536));
      offset += 65_536;
    },
  });
}

async function send(url: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Requests each backend service has answered (its own metric), /metrics itself left out. */
async function requestsSeen(stack: TestStack, service: 'login' | 'offers'): Promise<number> {
  const text = await (await fetch(`${stack.common.urls[service]}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('pupero_http_requests_total{') && !line.includes('route="/metrics"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** API.md: "A body over the size limit is 413 payload_too_large on every route", answered by the gateway itself. */
describe('request bodies over the size limit', () => {
  let stack: TestStack;
  let user: TestUser;
  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'offers'] });
    user = await stack.newUser('big');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const routes = [
    ['a public route', '/auth/login', {}],
    ['an authenticated route', '/offers', { authorization: 'Bearer ' }],
    ['an unknown route under a proxied prefix', '/offers/no/such/route', {}],
    ['an unknown route', '/no-such-route', {}],
  ] as const;

  for (const [what, path, headers] of routes) {
    for (const [how, body] of [
      ['with Content-Length', () => hugeJson()],
      ['chunked, without Content-Length', () => chunked(hugeJson())],
    ] as const) {
      it(`5 MB ${how} to ${what}: 413 payload_too_large from the gateway, the service never sees it`, async () => {
        const before = { login: await requestsSeen(stack, 'login'), offers: await requestsSeen(stack, 'offers') };
        const auth: Record<string, string> = 'authorization' in headers ? { authorization: `Bearer ${user.token}` } : {};
        const res = await send(`${stack.url}${path}`, body(), auth);
        expect(res.status).toBe(413);
        expect(res.body).toEqual({
          error: { code: 'payload_too_large', message: expect.stringMatching(/too large.*65536 bytes/), details: { limit_bytes: 65_536 } },
        });
        expect(res.headers.get('x-request-id')).toBeTruthy();
        expect({ login: await requestsSeen(stack, 'login'), offers: await requestsSeen(stack, 'offers') }).toEqual(before);
      });
    }
  }

  it('bodies within the limit still reach the service byte for byte, chunked or not', async () => {
    const before = await requestsSeen(stack, 'login');
    const body = JSON.stringify({ username: user.username, password: user.password });
    expect((await send(`${stack.url}/auth/login`, body)).status).toBe(200);
    const streamed = await send(`${stack.url}/auth/login`, chunked(body));
    expect(streamed.status).toBe(200);
    expect(streamed.body.user.username).toBe(user.username);
    // a body just under the limit is the service's to judge (its own validation answers)
    const near = await send(`${stack.url}/auth/login`, chunked(JSON.stringify({ username: 'a'.repeat(60_000), password: 'x' })));
    expect([near.status, near.body.error.code]).toEqual([400, 'validation_failed']);
    expect(await requestsSeen(stack, 'login')).toBe(before + 3);
  });

  it('a service asked directly answers 413 payload_too_large too (not 400)', async () => {
    for (const body of [hugeJson(), chunked(hugeJson())]) {
      const res = await send(`${stack.common.urls.login}/auth/login`, body);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
  });
});
