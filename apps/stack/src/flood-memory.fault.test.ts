import http from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestStack, type TestStack } from './testing.js';
import { spawnStack, waitForOk, type StackProcess } from './processes.js';

/**
 * Issue 13: after a 500-connection flood the gateway's RSS went 184 → 270 MB and stayed there 80 s
 * later. The gateway runs in a process of its own here (the services in the test's), so its memory is
 * measured alone: /proc/<pid>/status for RSS, its /metrics for the V8 heap.
 *
 * Why it stayed: Fastify keeps an idle keep-alive connection 72 s by default, so a flood's 500
 * client connections (and their parser, socket buffers and request objects) were all still held
 * when the drill looked; the same for the gateway's upstream sockets. HTTP_KEEP_ALIVE_TIMEOUT_MS
 * (5 s) and the 2 s idle limit of upstream sockets let them go. The test asserts that directly
 * (the gateway's ESTABLISHED sockets, from /proc/net/tcp) besides heap and RSS, whose margins
 * (12 MB heap, 40 MB RSS over the baseline) are from runs here: heap 45 → 60 → 53 MB, RSS 194 →
 * 211 → 174 MB; V8 and malloc do not hand every page back at once, so RSS alone cannot prove it.
 */
const CONNECTIONS = 500;
const REQUESTS_PER_CONNECTION = 3;

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function heapUsed(gateway: string): Promise<number> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  return Number(/^pupero_nodejs_heap_size_used_bytes\{[^}]*\} (\S+)/m.exec(text)![1]);
}

/** Server-side sockets of `port` still ESTABLISHED (the gateway's end of the client connections). */
async function establishedOn(port: number): Promise<number> {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '01' && local && parseInt(local.split(':')[1] ?? '', 16) === port) n++;
    }
  }
  return n;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Keep-alive GETs over exactly `connections` sockets; the sockets are left open afterwards, as a flood's are. */
async function flood(url: string, connections: number, perConnection: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const statuses = new Map<number, number>();
  const errors = new Map<string, number>();
  const get = () =>
    new Promise<void>((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const key = `client ${error.code ?? error.message}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = 0; i < perConnection; i++) await get();
    }),
  );
  return { statuses: Object.fromEntries(statuses), errors: Object.fromEntries(errors), agent };
}

describe('gateway memory after a 500-connection flood', () => {
  let stack: TestStack;
  let dataDir: string;
  let gatewayProcess: StackProcess;
  let gateway: string;

  beforeAll(async () => {
    // The services run in this process (their memory is not what is measured), the gateway alone in a child.
    stack = await startTestStack({ services: ['login', 'offers'] });
    dataDir = await mkdtemp(join(tmpdir(), 'pupero-flood-'));
    const port = await freePort();
    gatewayProcess = spawnStack(['gateway'], {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      MONERO_MODE: 'disabled',
      SERVICE_TOKEN: stack.common.serviceToken,
      LOGIN_URL: stack.common.urls.login,
      OFFERS_URL: stack.common.urls.offers,
      TRANSACTIONS_URL: stack.common.urls.transactions,
      WALLET_URL: stack.common.urls.walletManager,
      GATEWAY_PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '1000000',
      // The flood comes from one address: the cap would refuse most of it (it has its own test).
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      ...(process.env.FLOOD_KEEP_ALIVE_MS ? { HTTP_KEEP_ALIVE_TIMEOUT_MS: process.env.FLOOD_KEEP_ALIVE_MS } : {}),
    });
    gateway = `http://127.0.0.1:${port}`;
    await waitForOk(`${gateway}/healthz`, 120_000, () => gatewayProcess.output());
  }, 180_000);
  afterAll(async () => {
    await gatewayProcess?.stop();
    await stack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the flood without a 5xx, and its heap and RSS come back near the baseline within 20 s', async () => {
    const pid = gatewayProcess.child.pid!;
    // Warm-up: the code paths of the flood are compiled and the upstream pool exists before the baseline.
    await flood(`${gateway}/offers/currencies`, 20, 10).then(({ agent }) => agent.destroy());
    await new Promise((r) => setTimeout(r, 8000));
    const baseline = { rss: await rssBytes(pid), heap: await heapUsed(gateway) };

    const started = Date.now();
    const { statuses, errors, agent } = await flood(`${gateway}/offers/currencies`, CONNECTIONS, REQUESTS_PER_CONNECTION);
    const floodMs = Date.now() - started;
    console.info(`flood: ${CONNECTIONS * REQUESTS_PER_CONNECTION} requests over ${CONNECTIONS} connections in ${floodMs} ms`);
    const peak = { rss: await rssBytes(pid), heap: await heapUsed(gateway) };
    const port = Number(new URL(gateway).port);
    const heldAtPeak = await establishedOn(port);

    // Bounded wait for the memory to come back (the client keeps its sockets: the server must let go).
    const samples: { s: number; rss_mb: number; heap_mb: number; held: number }[] = [];
    const deadline = Date.now() + 20_000;
    let after = peak;
    let held = heldAtPeak;
    const near = (m: typeof peak) => held <= 5 && m.heap <= baseline.heap + 12 * 2 ** 20 && m.rss <= baseline.rss + 40 * 2 ** 20;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      after = { rss: await rssBytes(pid), heap: await heapUsed(gateway) };
      held = await establishedOn(port);
      samples.push({ s: Math.round((Date.now() - started - floodMs) / 1000), rss_mb: mb(after.rss), heap_mb: mb(after.heap), held });
      if (near(after) && samples.length >= 5) break;
    }
    agent.destroy();
    const back = samples.find((x) => x.held <= 5);
    console.info(
      `FAULT_RECOVERY ${JSON.stringify({ test: 'flood-memory', recovery_ms: { flood_end_to_connections_released: back ? back.s * 1000 : null } })}`,
    );
    console.info(
      JSON.stringify({
        test: 'flood-memory',
        connections: CONNECTIONS,
        requests: CONNECTIONS * REQUESTS_PER_CONNECTION,
        flood_ms: floodMs,
        statuses,
        errors,
        baseline_mb: { rss: mb(baseline.rss), heap: mb(baseline.heap) },
        peak_mb: { rss: mb(peak.rss), heap: mb(peak.heap) },
        connections_held_at_peak: heldAtPeak,
        after_mb: { rss: mb(after.rss), heap: mb(after.heap) },
        samples,
      }),
    );
    const upstreamErrors = gatewayProcess
      .output()
      .split('\n')
      .filter((l) => l.includes('upstream unavailable'));
    // No 5xx at all. (On a 2-core machine at load ~45 some upstream calls were reset under this
    // flood and answered 502: a kept-alive upstream socket closed by the service as the gateway
    // reused it. The gateway now sends such a GET again on a new connection: upstream-reset.test.ts.)
    const serverErrors = Object.keys(statuses).filter((status) => Number(status) >= 500);
    expect(serverErrors, upstreamErrors.slice(0, 3).join('\n')).toEqual([]);
    expect(statuses[200]).toBeGreaterThan(CONNECTIONS);
    // Margins from measurement (see the report): the heap returns to within a few MB of the
    // baseline; RSS keeps some of what V8 and malloc grew (not handed back to the system at once).
    // The cause of the plateau: every flood connection was still held (72 s keep-alive).
    // Now the gateway lets them go (the client keeps its end open) within the keep-alive timeout.
    expect(heldAtPeak).toBeGreaterThan(20);
    expect(held).toBeLessThanOrEqual(5);
    expect(mb(after.heap - baseline.heap)).toBeLessThanOrEqual(12);
    expect(mb(after.rss - baseline.rss)).toBeLessThanOrEqual(40);
  });
});
