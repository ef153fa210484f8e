import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '@pupero/db';
import { startThrowawayCluster, type ThrowawayCluster } from '@pupero/db/testing';
import { createOffer, expectLedgerOk, fund } from '@pupero/transactions/testing/helpers';
import { startTestStack, type TestStack, type TestUser } from './testing.js';

/**
 * Fault drill (issue 13): PostgreSQL stopped for a few seconds under a small steady load of reads
 * and trade starts. During the outage every failure must be 503 dependency_unavailable naming the
 * database (never 500, never 502 blaming a service), readiness must say which dependency is down,
 * and once the server is back the same processes answer 2xx again without a restart.
 *
 * It stops a throw-away cluster of its own (initdb + pg_ctl on a free port), never the shared
 * server, so it needs no DATABASE_URL and runs once, in the PGlite pass of `npm test`
 * (scripts/test.sh excludes *.fault.test.ts from the PostgreSQL pass).
 */
interface Sample {
  kind: 'offers' | 'balance' | 'trade';
  at: number;
  status: number;
  code?: string;
  dependency?: string;
  retryAfter?: string | null;
}

const OUTAGE_MS = 4000;

describe('database outage (throw-away PostgreSQL stopped and started under load)', () => {
  let cluster: ThrowawayCluster;
  let db: Db;
  let stack: TestStack;
  let admin: TestUser;
  let buyer: TestUser;
  let offerId: string;

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    // The bound on the connect wait is what keeps requests from hanging for the whole outage.
    db = await openPostgres(cluster.url, { max: 20, applicationName: 'pupero-fault-test', connectTimeoutMs: 2000 });
    stack = await startTestStack({ services: ['login', 'offers', 'transactions'], db, env: { MAX_OPEN_TRADES_PER_TAKER: '0' } });
    admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
    const seller = await stack.newUser('seller');
    buyer = await stack.newUser('buyer');
    await fund(stack, seller, '5');
    offerId = (await createOffer(stack, seller)).id;
  });
  afterAll(async () => {
    await cluster?.start().catch(() => undefined);
    await stack?.close();
    await db?.close();
    await cluster?.destroy();
  });

  let counter = 0;
  async function sample(kind: Sample['kind']): Promise<Sample> {
    const res =
      kind === 'offers'
        ? await stack.request('GET', '/offers')
        : kind === 'balance'
          ? await stack.request('GET', '/balance', undefined, { token: buyer.token })
          : // Alternately with an idempotency key (the Transactions database is asked first) and
            // without (the offer is looked up first: the Offers service's database is the one down).
            await stack.request(
              'POST',
              '/trades',
              { offer_id: offerId, amount: '0.01' },
              { token: buyer.token, headers: ++counter % 2 ? { 'idempotency-key': `fault-${process.pid}-${counter}` } : {} },
            );
    return {
      kind,
      at: Date.now(),
      status: res.status,
      code: res.body?.error?.code,
      dependency: res.body?.error?.details?.dependency,
      retryAfter: res.headers.get('retry-after'),
    };
  }

  /** One request of each kind every 150 ms until stopped (a small, bounded load). */
  function load() {
    const samples: Sample[] = [];
    let running = true;
    const loops = (['offers', 'balance', 'trade'] as const).map(async (kind) => {
      while (running) {
        samples.push(await sample(kind));
        await new Promise((r) => setTimeout(r, 150));
      }
    });
    return { samples, stop: async () => ((running = false), await Promise.all(loops)) };
  }

  it('answers only 503 dependency_unavailable (database) during the outage, says so in /readyz, and recovers without a restart', async () => {
    const traffic = load();
    // Warm up until every kind has succeeded twice (bounded: a busy machine is slow, not broken).
    const warm = Date.now() + 15_000;
    const okCount = (k: Sample['kind']) => traffic.samples.filter((s) => s.kind === k && s.status < 300).length;
    while ((['offers', 'balance', 'trade'] as const).some((k) => okCount(k) < 2) && Date.now() < warm)
      await new Promise((r) => setTimeout(r, 50));
    const stoppedAt = Date.now();
    await cluster.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    const duringLogin = await stack.request('POST', '/auth/login', { username: buyer.username, password: buyer.password });
    const gatewayReady = await stack.request('GET', '/readyz');
    const transactionsReady = await fetch(`${stack.common.urls.transactions}/readyz`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    const startCalledAt = Date.now();
    await cluster.start();
    const startedAt = Date.now();
    // Wait (bounded) until every kind of request has succeeded again after the restart.
    const deadline = Date.now() + 20_000;
    const recovered = () =>
      (['offers', 'balance', 'trade'] as const).every((k) =>
        traffic.samples.some((s) => s.kind === k && s.at > startedAt && s.status < 300),
      );
    while (!recovered() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    await traffic.stop();

    const { samples } = traffic;
    const before = samples.filter((s) => s.at < stoppedAt);
    const during = samples.filter((s) => s.at >= stoppedAt);
    // The load really ran before the outage and really hit it (otherwise this test proves nothing).
    expect(before.length).toBeGreaterThanOrEqual(6);
    expect(
      before.every((s) => s.status < 300),
      JSON.stringify(before.filter((s) => s.status >= 300)),
    ).toBe(true);
    const unavailable = during.filter((s) => s.status === 503);
    expect(new Set(unavailable.map((s) => s.kind))).toEqual(new Set(['offers', 'balance', 'trade']));

    // Every failure is the dependency error, naming the database, with a Retry-After.
    const wrong = during.filter(
      (s) => s.status >= 300 && !(s.status === 503 && s.code === 'dependency_unavailable' && s.dependency === 'database' && s.retryAfter),
    );
    expect(wrong, JSON.stringify(wrong.slice(0, 5))).toEqual([]);

    expect([duringLogin.status, duringLogin.body?.error?.code, duringLogin.body?.error?.details?.dependency]).toEqual([
      503,
      'dependency_unavailable',
      'database',
    ]);

    // Readiness names the dependency: the service says "database", the gateway says which service and why.
    expect(transactionsReady.status).toBe(503);
    expect(transactionsReady.body.checks.database).toMatch(/^failing/);
    expect(gatewayReady.status).toBe(503);
    const gatewayChecks = gatewayReady.body.checks as Record<string, string>;
    expect(Object.values(gatewayChecks).filter((v) => /database/.test(v)).length, JSON.stringify(gatewayChecks)).toBe(3);

    // Recovery without a restart: the same processes answer 2xx for every kind of request.
    expect(recovered(), JSON.stringify(samples.filter((s) => s.at > startedAt).slice(-6))).toBe(true);
    const firstOk = Math.min(...samples.filter((s) => s.at > startedAt && s.status < 300).map((s) => s.at));
    const allOk = Math.max(
      ...(['offers', 'balance', 'trade'] as const).map((k) =>
        Math.min(...samples.filter((s) => s.kind === k && s.at > startedAt && s.status < 300).map((s) => s.at)),
      ),
    );
    console.info(
      `database outage: ${samples.length} requests, ${unavailable.length} answered 503 dependency_unavailable; ` +
        `pg_ctl start took ${startedAt - startCalledAt} ms; first 2xx ${firstOk - startedAt} ms after the server was up ` +
        `(${firstOk - startCalledAt} ms after start was called); every kind 2xx after ${allOk - startedAt} ms`,
    );
    console.info(
      `FAULT_RECOVERY ${JSON.stringify({
        test: 'database-outage',
        recovery_ms: {
          pg_start: startedAt - startCalledAt,
          database_up_to_first_2xx: firstOk - startedAt,
          database_up_to_every_kind_2xx: allOk - startedAt,
        },
      })}`,
    );
    // The wallet manager is not run here, so the gateway's own readiness stays 503 for that one.
    const readyAfter = await stack.request('GET', '/readyz');
    const failingAfter = Object.entries(readyAfter.body.checks as Record<string, string>).filter(([, v]) => v !== 'ok');
    expect(failingAfter.map(([, v]) => v).join(), JSON.stringify(readyAfter.body)).not.toMatch(/database/);
    for (const url of [stack.common.urls.login, stack.common.urls.offers, stack.common.urls.transactions]) {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    }
    await expectLedgerOk(stack, admin);
  });
});
