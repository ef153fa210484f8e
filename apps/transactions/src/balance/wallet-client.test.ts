import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createWalletClient } from './wallet-client.js';

/** The pending-deposits call against a small local HTTP server playing the wallet manager. */
describe('wallet client (pending deposits)', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ url?: string; token?: string | string[] }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, token: req.headers['x-service-token'] });
      const user = new URL(req.url ?? '', 'http://x').searchParams.get('user_id');
      if (user === 'slow') return void setTimeout(() => res.end(JSON.stringify({ user_id: user, pending: '9' })), 3000);
      if (user === 'broken') return void res.writeHead(500).end('oops');
      if (user === 'odd') return void res.end(JSON.stringify({ user_id: user, pending: 12 }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ user_id: user, pending: '0.5' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // A generous default: a loaded machine (CI runs this beside the Docker step) can take 200 ms for a
  // first local request; only the slow case tests the timeout itself.
  const client = (timeoutMs = 2000, base = () => url) =>
    createWalletClient({ baseUrl: base, serviceToken: 'service-token-service-token', timeoutMs, logger: pino({ level: 'silent' }) });

  it('asks the wallet manager with the service token and returns what it says', async () => {
    expect(await client().pendingFor('u-1')).toBe(500_000_000_000n);
    expect(seen.at(-1)).toEqual({ url: '/internal/deposits/pending?user_id=u-1', token: 'service-token-service-token' });
  });

  it('answers 0 when the wallet manager is slow, failing, odd or absent', async () => {
    const t0 = Date.now();
    expect(await client(100).pendingFor('slow')).toBe(0n);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(await client().pendingFor('broken')).toBe(0n);
    expect(await client().pendingFor('odd')).toBe(0n);
    expect(await client(2000, () => 'http://127.0.0.1:1').pendingFor('u')).toBe(0n);
  });
});
