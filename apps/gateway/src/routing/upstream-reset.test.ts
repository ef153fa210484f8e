import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonConfigSchema, loadConfig, resolveCommonConfig } from '@pupero/config';
import { createLogger, type PuperoService } from '@pupero/http';
import { createGatewayService } from '../index.js';

/**
 * Issue 13: occasional 502s under a flood on a loaded machine. A keep-alive upstream socket can be
 * closed by the service just as the gateway sends the next request on it (the service's idle timer
 * fired while the gateway had not yet read the close): the request fails with ECONNRESET. Here a
 * stand-in service resets every connection on its second request, which makes that race certain.
 * A GET (safe to repeat) is sent again on a new connection; a POST is not (the service may have
 * acted on it) and stays 502 service_unavailable.
 */
describe('gateway: a keep-alive upstream socket reset as it is reused', () => {
  let upstream: Server;
  let gateway: PuperoService;
  let base: string;
  const seen: string[] = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    upstream = createServer((socket) => {
      sockets.add(socket);
      let requests = 0;
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        // One request at a time: headers end, then the declared body.
        for (;;) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/content-length:\s*(\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
          if (buffer.length < end + 4 + length) return;
          const head = buffer.slice(0, buffer.indexOf('\r\n'));
          buffer = buffer.slice(end + 4 + length);
          seen.push(`${head.split(' ').slice(0, 2).join(' ')} #${++requests}`);
          if (requests > 1) return void socket.resetAndDestroy();
          const body = '{"ok":true}';
          socket.write(
            `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`,
          );
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const env = { OFFERS_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, SERVICE_TOKEN: 'x'.repeat(32) };
    const common = resolveCommonConfig(loadConfig(commonConfigSchema, env), env.SERVICE_TOKEN);
    gateway = await createGatewayService({ common, logger: createLogger({ name: 'test', level: 'silent' }), env });
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await gateway?.app.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => upstream?.close(r));
  });

  it('sends a GET again on a fresh connection when its reused socket is reset: 200, not 502', async () => {
    expect((await fetch(`${base}/offers`)).status).toBe(200);
    const again = await fetch(`${base}/offers`);
    expect([again.status, await again.json()]).toEqual([200, { ok: true }]);
    // The second GET met the reset on the kept-alive socket, then went through on a new one.
    expect(seen).toEqual(['GET /offers #1', 'GET /offers #2', 'GET /offers #1']);
  });

  it('does not repeat a POST (it may have been acted on): 502 service_unavailable, sent once', async () => {
    seen.length = 0;
    const res = await fetch(`${base}/offers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    expect(seen).toEqual(['POST /offers #2']);
  });
});
