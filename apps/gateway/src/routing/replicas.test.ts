import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PuperoService } from '@pupero/http';
import { startLoneGateway } from './test-gateway.js';

/** A stand-in offers replica: /price names the replica; /readyz can be turned off. */
async function replica(id: string) {
  let ready = true;
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/readyz') {
      res.statusCode = ready ? 200 : 503;
      return res.end('{}');
    }
    res.end(JSON.stringify({ replica: id }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, setReady: (r: boolean) => void (ready = r) };
}

describe('gateway with several replicas of a service', () => {
  let a: Awaited<ReturnType<typeof replica>>;
  let b: Awaited<ReturnType<typeof replica>>;
  let gateway: PuperoService;
  let base: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([replica('a'), replica('b')]);
    servers.push(a.server, b.server);
    ({ gateway, base } = await startLoneGateway({ OFFERS_URL: `${a.url},${b.url}` }));
  });
  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  const price = async () => (await (await fetch(`${base}/price`)).json()) as { replica: string };

  it('spreads requests of one keep-alive client over both replicas', async () => {
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await price()).replica);
    expect(seen.filter((r) => r === 'a').length).toBe(3);
    expect(seen.filter((r) => r === 'b').length).toBe(3);
  });

  it('takes a replica whose /readyz fails out within a poll, and puts it back when it passes', async () => {
    a.setReady(false);
    await new Promise((r) => setTimeout(r, 2500));
    const out = [];
    for (let i = 0; i < 4; i++) out.push((await price()).replica);
    expect(out).toEqual(['b', 'b', 'b', 'b']);
    a.setReady(true);
    await new Promise((r) => setTimeout(r, 2500));
    const back = new Set<string>();
    for (let i = 0; i < 4; i++) back.add((await price()).replica);
    expect(back).toEqual(new Set(['a', 'b']));
  });

  it('keeps answering when a replica goes away (it is taken out after its first failed request)', async () => {
    // Close the listener and every open connection: the replica is gone.
    await new Promise((r) => {
      a.server.close(r);
      a.server.closeAllConnections();
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${base}/price`)).status);
    // At most the one request that found it gone fails (503); all after it go to b.
    expect(statuses.filter((s) => s !== 200).length).toBeLessThanOrEqual(1);
    expect(statuses.slice(-4)).toEqual([200, 200, 200, 200]);
  });
});
