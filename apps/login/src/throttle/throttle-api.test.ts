import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { direct, registerAndLogin, uniqueName } from '../test-helpers.js';

/** Brute-force throttling with the default account limits (10 failures / 15 min). */
describe('login throttling', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ services: ['login'], env: { LOGIN_THROTTLE_IP_MAX_FAILURES: '20' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const login = (username: string, password: string) => stack.request('POST', '/auth/login', { username, password });
  // Tests other than the first call the service directly from their own client address, so the
  // address counter (20 here) never mixes into what they check.
  let nextAddress = 10;
  const address = () => `203.0.113.${nextAddress++}`;
  const loginFrom = (ip: string, username: string, password: string, target: TestStack = stack) =>
    direct(target, 'POST', '/auth/login', { username, password }, { 'x-forwarded-for': ip });

  it('20 wrong passwords in a row: 429 rate_limited with Retry-After after the 10th, and the right password is refused too', async () => {
    const user = await registerAndLogin(stack);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 20; i++) {
      last = await login(user.username, `wrong-password-${i}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
    expect(last!.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/this account.*try again in \d+ s/) });
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const right = await login(user.username, user.password);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('rate_limited');
    // the lock is per account: someone else logs in fine
    const other = await registerAndLogin(stack);
    expect((await login(other.username, other.password)).status).toBe(200);
    // and operators see it in the login service's metrics
    const metrics = await (await fetch(`${stack.common.urls.login}/metrics`)).text();
    expect(metrics).toMatch(/pupero_login_attempts_total\{outcome="rate_limited",service="login"\} 11/);
    expect(metrics).toMatch(/pupero_login_attempts_total\{outcome="invalid_credentials",service="login"\} 10/);
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

  it('a successful login resets the account counter', async () => {
    const user = await registerAndLogin(stack);
    const ip = address();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await loginFrom(ip, user.username, 'wrong-password-1')).status).toBe(401);
      expect((await loginFrom(ip, user.username, user.password)).status).toBe(200);
    }
  });

  it('throttles per client address with a larger budget (the gateway passes the address in X-Forwarded-For)', async () => {
    const from = (ip: string, username: string) => direct(stack, 'POST', '/auth/login', { username, password: 'wrong-password-1' }, { 'x-forwarded-for': ip });
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

  it('replicas agree: failures counted by one login service lock logins at another on the same database', async () => {
    const replica = await startTestStack({ services: ['login'], db: stack.db });
    try {
      const user = await registerAndLogin(stack);
      const ip = address();
      for (let i = 0; i < 10; i++) await loginFrom(ip, user.username, 'wrong-password-1');
      const there = await loginFrom(address(), user.username, user.password, replica);
      expect(there.status).toBe(429);
      expect(there.body.error.message).toMatch(/this account/);
    } finally {
      await replica.close();
    }
  });
});
