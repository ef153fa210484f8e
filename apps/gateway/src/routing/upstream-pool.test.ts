import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUpstreamList, UpstreamPool, upstreamPools } from './upstream-pool.js';

/** A replica whose /readyz answers `ready` (changeable), listening on a free loopback port. */
async function replica(): Promise<{ url: string; server: Server; setReady(ready: boolean): void }> {
  let ready = true;
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/readyz' && !ready ? 503 : 200;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, setReady: (r) => void (ready = r) };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('UpstreamPool', () => {
  it('parses comma-separated replica lists (spaces and trailing slashes ignored)', () => {
    expect(parseUpstreamList('http://a:1/, http://b:2 ,')).toEqual(['http://a:1', 'http://b:2']);
  });

  it('goes round robin over the replicas, per request', () => {
    const pool = new UpstreamPool(['http://a', 'http://b', 'http://c']);
    expect(Array.from({ length: 6 }, () => pool.next())).toEqual(['http://a', 'http://b', 'http://c', 'http://a', 'http://b', 'http://c']);
  });

  it('takes out a replica whose /readyz fails and puts it back when it passes again', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    servers.push(a.server, b.server);
    const changes: string[] = [];
    const pool = new UpstreamPool([a.url, b.url], { onChange: (url, healthy) => changes.push(`${url === a.url ? 'a' : 'b'}:${healthy}`) });
    a.setReady(false);
    await pool.check();
    expect(Array.from({ length: 4 }, () => pool.next())).toEqual([b.url, b.url, b.url, b.url]);
    a.setReady(true);
    await pool.check();
    expect(new Set(Array.from({ length: 4 }, () => pool.next()))).toEqual(new Set([a.url, b.url]));
    expect(changes).toEqual(['a:false', 'a:true']);
  });

  it('takes out a replica that stopped listening, and one whose request failed', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    servers.push(b.server);
    await new Promise((r) => a.server.close(r));
    const pool = new UpstreamPool([a.url, b.url]);
    await pool.check();
    expect(pool.healthyUrls()).toEqual([b.url]);
    pool.reportFailure(b.url);
    // None healthy: every replica is tried in turn rather than none.
    expect(new Set([pool.next(), pool.next()])).toEqual(new Set([a.url, b.url]));
    await pool.check();
    expect(pool.healthyUrls()).toEqual([b.url]);
  });

  it('a single URL is never taken out', () => {
    const pool = new UpstreamPool(['http://only']);
    pool.reportFailure('http://only');
    expect(pool.next()).toBe('http://only');
  });

  it('builds one pool per service from LOGIN_URL etc., defaulting to the resolved URL', () => {
    const pools = upstreamPools(
      { LOGIN_URL: 'http://login-1:8001,http://login-2:8001' },
      {
        login: 'http://login-1:8001',
        offers: 'http://o:8002',
        transactions: 'http://t:8003',
        walletManager: 'http://w:8004',
        gateway: 'http://g:8000',
      },
    );
    expect(pools.login.urls).toEqual(['http://login-1:8001', 'http://login-2:8001']);
    expect(pools.offers.urls).toEqual(['http://o:8002']);
  });
});
