/**
 * The whole user flow against a running stack, through the gateway only (the CI Docker step runs
 * it against the compose `regtest` profile): A registers and takes XMR from the dev faucet (the
 * deposit is credited), publishes a sell offer; B registers, turns on 2FA (codes from Debian's
 * oathtool), logs in with a code, takes the offer, marks it paid; A releases; B withdraws on-chain
 * until the withdrawal is `confirmed`. Each step's time is printed.
 *
 *   node --import tsx deploy/flow.ts [http://127.0.0.1:8000] [http://127.0.0.1:5000]
 *   FLOW_MIDWAY_COMMAND="docker compose ... stop gateway-2 ..."  runs that command after the deposit
 *   is credited (CI stops one replica of every stateless service there; the flow must still complete).
 *   RATE_LIMIT_PER_MINUTE=120  the gateways' configured per-address limit: checks that it holds
 *   at exactly that count across the gateway replicas (behind compose's lb), not once per replica.
 *
 * Behind compose's lb (HAProxy) every response names its replica (x-served-by): the flow checks that
 * one keep-alive connection is spread over both replicas, and only the survivors answer after the stop.
 */
import { execFileSync, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, get as httpGet, type IncomingHttpHeaders } from 'node:http';

const API = (process.argv[2] ?? process.env.PUPERO_API ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const WEB = (process.argv[3] ?? process.env.PUPERO_WEB ?? 'http://127.0.0.1:5000').replace(/\/$/, '');
/** A mainnet-format address outside Pupero (regtest uses mainnet addresses): the withdrawal's target. */
const OUTSIDE_ADDRESS = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const t0 = Date.now();

async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${API}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch (error) {
      // Only the connection itself is retried (a gateway restart); never a request that was answered.
      if (attempt >= 3) throw error;
      await sleep(1000);
    }
  }
}

async function expectStatus<T = any>(
  want: number,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers?: Record<string, string>,
): Promise<T> {
  const res = await call<T>(method, path, body, token, headers);
  if (res.status !== want) throw new Error(`${method} ${path}: expected ${want}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1000);
  }
}

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const value = await fn();
  console.log(`  ok  ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
  return value;
}

/** A TOTP code from oathtool that was not used before (the server refuses a replayed code). */
const usedCodes = new Set<string>();
async function freshTotp(secret: string): Promise<string> {
  for (;;) {
    for (const ahead of [0, 30]) {
      const code = execFileSync('oathtool', ['--totp', '-b', '-N', `now + ${ahead} seconds`, secret], { encoding: 'utf8' }).trim();
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
    await sleep(3000);
  }
}

/** GETs over ONE kept-alive connection (an agent with a single socket), as a browser would send them. */
function keepAliveClient() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  type Answer = { status: number; headers: IncomingHttpHeaders; body: string; reused: boolean };
  // A GET on a kept-alive socket the other side closed as it was reused fails with a reset: sent once more
  // on a new connection, as browsers do for idempotent requests (RFC 9112, 9.3.1).
  const get = (url: string): Promise<Answer> =>
    getOnce(url).catch((error: { code?: string; reusedSocket?: boolean }) => {
      if (error.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return getOnce(url);
      throw error;
    });
  const getOnce = (url: string) =>
    new Promise<Answer>((resolve, reject) => {
      const request = httpGet(url, { agent, timeout: 30_000 }, (response) => {
        let body = '';
        response
          .setEncoding('utf8')
          .on('data', (c) => (body += c))
          .on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, reused: request.reusedSocket }));
      });
      request
        .on('timeout', () => request.destroy(new Error(`GET ${url}: no answer in 30 s`)))
        .on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    });
  return { get, close: () => agent.destroy() };
}

/** Which replicas answered `count` GETs of `url` sent over one keep-alive connection (from lb's x-served-by). */
async function servedBy(url: string, count: number): Promise<Map<string, number>> {
  const client = keepAliveClient();
  try {
    const sent = await burst(client, url, count, 1);
    if (sent.limited > 0) throw new Error(`GET ${url}: 429 (rate limited)`);
    return sent.replicas;
  } finally {
    client.close();
  }
}
const describe = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ×${v}`).join(', ');

/** Sends up to `max` GETs of `url` over one keep-alive connection; stops after `stopAfter429` 429s. */
async function burst(client: ReturnType<typeof keepAliveClient>, url: string, max: number, stopAfter429: number) {
  const replicas = new Map<string, number>();
  let passed = 0;
  let limited = 0;
  let reconnects = 0;
  let retryAfter = 0;
  while (passed + limited < max && limited < stopAfter429) {
    const res = await client.get(url);
    if (res.status === 200) passed++;
    else if (res.status === 429) {
      limited++;
      retryAfter = Number(res.headers['retry-after']);
    } else throw new Error(`GET ${url}: ${res.status} ${res.body.slice(0, 200)}`);
    if (!res.reused) reconnects++;
    const name = String(res.headers['x-served-by'] ?? '(no x-served-by)');
    replicas.set(name, (replicas.get(name) ?? 0) + 1);
  }
  return { passed, limited, reconnects, retryAfter, replicas };
}

/**
 * The per-address limit holds at its configured count across gateway replicas: in a fresh window
 * exactly `expected` requests pass and then 429, although they alternate between the gateways
 * (per-process counters would let each gateway pass the full count). First this address's current
 * window is used up to learn when it ends (the 429's Retry-After). Returns when the checked window
 * ends (the flow's own requests are refused until then).
 */
async function sharedRateLimit(expected: number): Promise<number> {
  const client = keepAliveClient();
  const url = `${API}/offers?limit=1`;
  try {
    const drain = await burst(client, url, 3 * expected + 10, 1);
    if (drain.limited === 0)
      throw new Error(`no 429 after ${drain.passed} requests: is RATE_LIMIT_PER_MINUTE=${expected} what the gateways run with?`);
    if (!(drain.retryAfter > 0)) throw new Error('a 429 without Retry-After');
    await sleep((drain.retryAfter + 1) * 1000);
    const start = Date.now();
    const fresh = await burst(client, url, expected + 5, 5);
    console.log(
      `      fresh window: ${fresh.passed} passed, then ${fresh.limited} got 429 (limit ${expected}); served by ${describe(fresh.replicas)}; ${fresh.reconnects} new connection(s)`,
    );
    if (fresh.passed !== expected || fresh.limited !== 5)
      throw new Error(
        `expected exactly ${expected} to pass and then 429, got ${fresh.passed} passed: the limit is not shared by the gateways`,
      );
    if (!fresh.replicas.has('(no x-served-by)') && fresh.replicas.size < 2)
      throw new Error(`one keep-alive connection went to ${describe(fresh.replicas)} only: not spread over the gateway replicas`);
    return start + 61_000;
  } finally {
    client.close();
  }
}

async function register(prefix: string): Promise<{ token: string; username: string; password: string }> {
  const username = `${prefix}${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await expectStatus(201, 'POST', '/auth/register', { username, password });
  const login = await expectStatus(200, 'POST', '/auth/login', { username, password });
  return { token: login.access_token, username, password };
}

async function main() {
  console.log(`flow against ${API}`);
  await step('the web app: one keep-alive connection spread over both replicas', async () => {
    const replicas = await servedBy(`${WEB}/`, 6);
    console.log(`      served by ${describe(replicas)}`);
    if (replicas.has('(no x-served-by)')) console.log('      (no load balancer in front: not checked)');
    else if (replicas.size < 2) throw new Error(`only ${describe(replicas)} answered`);
  });
  const seller = await step('A registers', () => register('seller'));

  await step('A gets 2 XMR from the dev faucet; the deposit is credited', async () => {
    const { address } = await expectStatus(200, 'GET', '/wallet/deposit-address', undefined, seller.token);
    const sent = await call('POST', '/dev/faucet', { address, amount: '2' }, seller.token);
    // A gateway timeout (502/504) on a busy machine does not mean the faucet failed: it keeps going,
    // and the credit below is the real check. Anything else is an error.
    if (sent.status !== 200 && sent.status !== 502 && sent.status !== 504)
      throw new Error(`POST /dev/faucet: ${sent.status} ${JSON.stringify(sent.body)}`);
    if (sent.status !== 200) console.log(`      (the faucet answered ${sent.status} through the gateway; waiting for the deposit anyway)`);
    // While the chain confirms the deposit: the shared rate limit, then wait out its window.
    const limit = Number(process.env.RATE_LIMIT_PER_MINUTE);
    if (limit > 0 && limit <= 1000) {
      const windowEnd = await sharedRateLimit(limit);
      await sleep(Math.max(0, windowEnd - Date.now()) + 1000);
    } else console.log('      (RATE_LIMIT_PER_MINUTE unset or above 1000: the shared rate limit was not checked)');
    await until('the deposit to be credited', 300_000, async () => {
      const balance = await expectStatus(200, 'GET', '/balance', undefined, seller.token);
      return balance.available === '2' || balance.available === '2.000000000000' ? balance : undefined;
    });
  });

  if (process.env.FLOW_MIDWAY_COMMAND) {
    await step(
      `midway: ${process.env.FLOW_MIDWAY_COMMAND}`,
      async () => void execSync(process.env.FLOW_MIDWAY_COMMAND!, { stdio: 'inherit' }),
    );
    await step('after the stop: the remaining replicas serve the API and the web app', async () => {
      for (const url of [`${API}/offers?limit=1`, `${WEB}/`]) {
        const replicas = await servedBy(url, 4);
        console.log(`      ${url}: served by ${describe(replicas)}`);
        const stopped = [...replicas.keys()].filter((name) => process.env.FLOW_MIDWAY_COMMAND!.split(/\s+/).includes(name));
        if (stopped.length > 0) throw new Error(`a stopped replica still answered: ${stopped.join(', ')}`);
      }
    });
  }

  const offer = await step('A publishes a sell offer', () =>
    expectStatus(
      201,
      'POST',
      '/offers',
      {
        side: 'sell',
        currency: 'EUR',
        payment_method: 'sepa',
        price_type: 'fixed',
        price: '150.00',
        min_amount: '0.1',
        max_amount: '2',
        terms: 'CI flow',
        payment_window_minutes: 60,
      },
      seller.token,
    ),
  );

  const buyer = await step('B registers', () => register('buyer'));
  await step('B turns on 2FA and logs in with a code', async () => {
    const { secret } = await expectStatus(200, 'POST', '/auth/2fa/setup', {}, buyer.token);
    await expectStatus(200, 'POST', '/auth/2fa/enable', { code: await freshTotp(secret) }, buyer.token);
    const without = await call('POST', '/auth/login', { username: buyer.username, password: buyer.password });
    if (without.status !== 401 || without.body?.error?.code !== 'two_factor_required')
      throw new Error(`login without a code: ${without.status} ${JSON.stringify(without.body)}`);
    const login = await expectStatus(200, 'POST', '/auth/login', {
      username: buyer.username,
      password: buyer.password,
      totp_code: await freshTotp(secret),
    });
    buyer.token = login.access_token;
    (buyer as { secret?: string }).secret = secret;
  });

  const trade = await step('B takes 1 XMR of the offer', () =>
    expectStatus(201, 'POST', '/trades', { offer_id: offer.id, amount: '1' }, buyer.token),
  );
  await step('B marks the trade paid', () => expectStatus(200, 'POST', `/trades/${trade.id}/paid`, {}, buyer.token));
  await step('A releases: B holds 1 XMR', async () => {
    const done = await expectStatus(200, 'POST', `/trades/${trade.id}/release`, {}, seller.token);
    if (done.status !== 'completed') throw new Error(`trade after release: ${done.status}`);
    const balance = await expectStatus(200, 'GET', '/balance', undefined, buyer.token);
    if (!/^1(\.0+)?$/.test(balance.available)) throw new Error(`B's balance after release: ${JSON.stringify(balance)}`);
  });

  await step('B withdraws 0.5 XMR until it is confirmed', async () => {
    const secret = (buyer as { secret?: string }).secret!;
    const queued = await expectStatus(
      202,
      'POST',
      '/wallet/withdrawals',
      { address: OUTSIDE_ADDRESS, amount: '0.5', totp_code: await freshTotp(secret) },
      buyer.token,
      {
        'idempotency-key': randomBytes(16).toString('hex'),
      },
    );
    const final = await until('the withdrawal to be confirmed', 420_000, async () => {
      const w = await expectStatus(200, 'GET', `/wallet/withdrawals/${queued.id}`, undefined, buyer.token);
      if (w.status === 'failed') throw new Error(`withdrawal failed: ${JSON.stringify(w)}`);
      return w.status === 'confirmed' ? w : undefined;
    });
    if (!/^[0-9a-f]{64}$/.test(final.txid)) throw new Error(`confirmed withdrawal without a txid: ${JSON.stringify(final)}`);
  });
  console.log(`flow complete in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(`FLOW FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${error.message}`);
  process.exit(1);
});
