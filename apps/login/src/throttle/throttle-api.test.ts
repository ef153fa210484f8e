import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { direct, median, oathtool, registerAndLogin, strongPassword, uniqueName } from '../test-helpers.js';

const MAX_DELAY_MS = 800;

/** Brute-force throttling with the default account limits (10 failures / 15 min per account and address). */
describe('login throttling', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      services: ['login'],
      env: { LOGIN_THROTTLE_IP_MAX_FAILURES: '20', LOGIN_THROTTLE_ACCOUNT_MAX_DELAY_MS: String(MAX_DELAY_MS), TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  // Tests other than the first call the service directly from their own client address, so the
  // address counter (20 here) never mixes into what they check.
  let nextAddress = 10;
  const address = () => `203.0.113.${nextAddress++}`;
  const loginFrom = (ip: string, username: string, password: string, target: TestStack = stack) =>
    direct(target, 'POST', '/auth/login', { username, password }, { 'x-forwarded-for': ip });

  // Through the gateway, as a user meets it. The stack believes X-Forwarded-For from loopback
  // (TRUST_PROXY, as behind a load balancer), so each test client can speak from its own address.
  const loginVia = (ip: string, username: string, password: string, extra: Record<string, string> = {}) =>
    stack.request('POST', '/auth/login', { username, password, ...extra }, { headers: { 'x-forwarded-for': ip } });
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const result = await fn();
    return [result, performance.now() - t0];
  };

  it('20 wrong passwords from one address lock that address for that account only: the owner logs in at once from another', async () => {
    const victim = await registerAndLogin(stack);
    const attacker = await registerAndLogin(stack);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof loginVia>> | undefined;
    for (let i = 0; i < 20; i++) {
      last = await loginVia('192.0.2.66', victim.username, `wrong-password-${i}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
    expect(last!.body.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/this account from your network.*try again in \d+ s/),
    });
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // the attacker's address stays locked for this account, even with the right password ...
    const fromAttacker = await loginVia('192.0.2.66', victim.username, victim.password);
    expect([fromAttacker.status, fromAttacker.body.error.code]).toEqual([429, 'rate_limited']);
    // ... while the owner, from an address that has not failed, is let in on the first try
    const [owner, ms] = await timed(() => loginVia('198.51.100.77', victim.username, victim.password));
    expect(owner.status).toBe(200);
    expect(owner.body.user.id).toBe(victim.id);
    console.log(`owner's login from a clean address after 20 failures elsewhere: ${ms.toFixed(0)} ms`);
    // and the attacker's address is not locked for other accounts
    expect((await loginVia('192.0.2.66', attacker.username, attacker.password)).status).toBe(200);
    // operators see it in the login service's metrics
    const metrics = await (await fetch(`${stack.common.urls.login}/metrics`)).text();
    expect(metrics).toMatch(/pupero_login_attempts_total\{outcome="rate_limited",service="login"\} 11/);
    expect(metrics).toMatch(/pupero_login_attempts_total\{outcome="invalid_credentials",service="login"\} 10/);
  });

  it("with 2FA on: 20 failures from an attacker do not stop the owner's password + code from another address", async () => {
    const victim = await registerAndLogin(stack);
    const setup = await stack.request('POST', '/auth/2fa/setup', undefined, { token: victim.token });
    const enabled = await stack.request('POST', '/auth/2fa/enable', { code: oathtool(setup.body.secret) }, { token: victim.token });
    expect(enabled.status).toBe(200);
    const attackerStatuses: number[] = [];
    for (let i = 0; i < 20; i++) attackerStatuses.push((await loginVia('192.0.2.67', victim.username, `wrong-password-${i}`)).status);
    expect(attackerStatuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
    const owner = await loginVia('198.51.100.78', victim.username, victim.password, { totp_code: oathtool(setup.body.secret, 30) });
    expect(owner.status).toBe(200);
    expect(owner.body.user).toMatchObject({ id: victim.id, two_factor_enabled: true });
  });

  it('an attack spread over many addresses only slows the account down, by a bounded and measured delay', async () => {
    const victim = await registerAndLogin(stack);
    const baseline: number[] = [];
    for (let i = 0; i < 3; i++) baseline.push((await timed(() => loginVia('198.51.100.80', victim.username, victim.password)))[1]);
    // 6 addresses x 9 failures: no pair reaches its lock, the account counts 54 failures
    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, a) =>
        Promise.all(
          Array.from({ length: 9 }, (_, i) => loginVia(`192.0.2.${100 + a}`, victim.username, `wrong-password-${i}`).then((r) => r.status)),
        ),
      ),
    );
    expect(statuses.flat().every((s) => s === 401)).toBe(true);
    const [owner, ms] = await timed(() => loginVia('198.51.100.81', victim.username, victim.password));
    expect(owner.status).toBe(200);
    const normal = median(baseline);
    console.log(`login under a distributed attack: ${ms.toFixed(0)} ms (normally ${normal.toFixed(0)} ms, max delay ${MAX_DELAY_MS} ms)`);
    expect(ms).toBeGreaterThanOrEqual(MAX_DELAY_MS - 5);
    expect(ms).toBeLessThan(MAX_DELAY_MS + normal + 1500);
  });

  it('another spelling of a locked name cannot log in (Unicode letters Postgres lower-cases to ASCII, like "İ")', async () => {
    const ip = address();
    const user = await registerAndLogin(stack, uniqueName('iii'));
    for (let i = 0; i < 10; i++) expect((await loginFrom(ip, user.username, `wrong-${i}`)).status).toBe(401);
    expect((await loginFrom(ip, user.username, user.password)).status).toBe(429);
    const dotted = user.username.replace(/i/g, 'İ');
    expect(dotted).not.toBe(user.username);
    const other = await loginFrom(address(), dotted, user.password);
    expect(other.status).toBe(401);
    expect(other.body.error.code).toBe('invalid_credentials');
  });

  it('unknown usernames are throttled exactly like real ones (no way to tell them apart)', async () => {
    const ghost = uniqueName('ghost');
    const ip = address();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await loginFrom(ip, ghost, 'wrong-password-1')).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });

  it('a successful login resets the counter of that account and address', async () => {
    const user = await registerAndLogin(stack);
    const ip = address();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await loginFrom(ip, user.username, 'wrong-password-1')).status).toBe(401);
      expect((await loginFrom(ip, user.username, user.password)).status).toBe(200);
    }
  });

  it('throttles per client address with a larger budget (the gateway passes the address in X-Forwarded-For)', async () => {
    const from = (ip: string, username: string) =>
      direct(stack, 'POST', '/auth/login', { username, password: 'wrong-password-1' }, { 'x-forwarded-for': ip });
    const statuses: number[] = [];
    // different usernames each time, so only the address counter can lock
    for (let i = 0; i < 20; i++) statuses.push((await from('198.51.100.23', uniqueName('spray'))).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const locked = await from('198.51.100.23', uniqueName('spray'));
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/from your network/);
    expect((await from('198.51.100.24', uniqueName('spray'))).status).toBe(401);
  });

  it('a burst of parallel guesses cannot slip past the limit (attempts are counted before checking)', async () => {
    const user = await registerAndLogin(stack);
    const ip = address();
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => loginFrom(ip, user.username, `wrong-password-${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('successful logins give the address its attempts back (many people behind one NAT)', async () => {
    const user = await registerAndLogin(stack);
    const ip = address();
    for (let i = 0; i < 25; i++) expect((await loginFrom(ip, user.username, user.password)).status).toBe(200);
  });

  it('replicas agree: failures counted by one login service lock that address at another on the same database', async () => {
    const replica = await startTestStack({ services: ['login'], db: stack.db });
    try {
      const user = await registerAndLogin(stack);
      const ip = address();
      for (let i = 0; i < 10; i++) await loginFrom(ip, user.username, 'wrong-password-1');
      const there = await loginFrom(ip, user.username, user.password, replica);
      expect(there.status).toBe(429);
      expect(there.body.error.message).toMatch(/this account from your network/);
      expect((await loginFrom(address(), user.username, user.password, replica)).status).toBe(200);
    } finally {
      await replica.close();
    }
  });
});

describe('registration throttling', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      services: ['login'],
      env: { LOGIN_REGISTER_IP_MAX: '3', LOGIN_REGISTER_IP_WINDOW_SECONDS: '600', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });
  const registerFrom = (ip: string, username: string) =>
    stack.request('POST', '/auth/register', { username, password: strongPassword() }, { headers: { 'x-forwarded-for': ip } });

  it('limits registrations per client address (taken names count too): 429 rate_limited with Retry-After, other addresses unaffected', async () => {
    const first = uniqueName('reg');
    expect((await registerFrom('192.0.2.10', first)).status).toBe(201);
    expect((await registerFrom('192.0.2.10', first)).status).toBe(409);
    expect((await registerFrom('192.0.2.10', uniqueName('reg'))).status).toBe(201);
    const refused = await registerFrom('192.0.2.10', uniqueName('reg'));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/new accounts from your network/) });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // the same /64 is the same network
    expect((await registerFrom('2001:db8:1:2::1', uniqueName('reg'))).status).toBe(201);
    expect((await registerFrom('2001:db8:1:2::2', uniqueName('reg'))).status).toBe(201);
    expect((await registerFrom('2001:db8:1:2::3', uniqueName('reg'))).status).toBe(201);
    expect((await registerFrom('2001:db8:1:2::4', uniqueName('reg'))).status).toBe(429);
    expect((await registerFrom('192.0.2.11', uniqueName('reg'))).status).toBe(201);
  });
});
