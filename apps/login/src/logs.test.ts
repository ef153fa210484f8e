import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { direct, oathtool, strongPassword, uniqueName } from './test-helpers.js';

/** Runs every secret-bearing flow with debug logging captured, then looks for the secrets in the logs. */
describe('logs carry no secrets', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ services: ['login'], captureLogs: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('no log line contains a password, hash, TOTP secret, recovery code, refresh or access token', async () => {
    const secrets = new Map<string, string>();
    const keep = (what: string, value: string | undefined) => {
      expect(value, what).toBeTruthy();
      secrets.set(`${what} #${secrets.size}`, value!);
    };
    const username = uniqueName('logs');
    const password = strongPassword();
    const newPassword = strongPassword();
    keep('password', password);
    keep('new password', newPassword);

    const reg = await stack.request('POST', '/auth/register', { username, password });
    expect(reg.status).toBe(201);
    await stack.request('POST', '/auth/login', { username, password: 'a-wrong-password-9' });
    const login = await stack.request('POST', '/auth/login', { username, password }, { headers: { 'user-agent': 'log-test' } });
    keep('access token', login.body.access_token);
    keep('refresh token', login.body.refresh_token);

    const setup = await stack.request('POST', '/auth/2fa/setup', undefined, { token: login.body.access_token });
    keep('totp secret', setup.body.secret);
    keep('otpauth url', setup.body.otpauth_url);
    const enable = await stack.request(
      'POST',
      '/auth/2fa/enable',
      { code: oathtool(setup.body.secret) },
      { token: login.body.access_token },
    );
    expect(enable.status).toBe(200);
    for (const code of enable.body.recovery_codes as string[]) keep('recovery code', code);

    const second = await stack.request('POST', '/auth/login', { username, password, totp_code: oathtool(setup.body.secret, 30) });
    expect(second.status).toBe(200);
    keep('access token', second.body.access_token);
    keep('refresh token', second.body.refresh_token);
    const third = await stack.request('POST', '/auth/login', { username, password, recovery_code: enable.body.recovery_codes[0] });
    expect(third.status).toBe(200);
    keep('refresh token', third.body.refresh_token);

    const refreshed = await stack.request('POST', '/auth/refresh', { refresh_token: second.body.refresh_token });
    expect(refreshed.status).toBe(200);
    keep('access token', refreshed.body.access_token);
    keep('refresh token', refreshed.body.refresh_token);
    await stack.request('POST', '/auth/refresh', { refresh_token: second.body.refresh_token }); // reuse

    const { rows: before } = await stack.db.query<{ password_hash: string }>('SELECT password_hash FROM login.users WHERE username = $1', [
      username,
    ]);
    assert(before[0]);
    keep('argon2 hash', before[0].password_hash);
    const change = await stack.request(
      'POST',
      '/auth/password',
      { current_password: password, new_password: newPassword },
      { token: login.body.access_token },
    );
    expect(change.status).toBe(204);
    const { rows: after } = await stack.db.query<{ password_hash: string; id: string }>(
      'SELECT id, password_hash FROM login.users WHERE username = $1',
      [username],
    );
    assert(after[0]);
    keep('argon2 hash', after[0].password_hash);

    await direct(
      stack,
      'POST',
      '/internal/2fa/verify',
      { user_id: after[0].id, code: enable.body.recovery_codes[1] },
      { 'x-service-token': stack.common.serviceToken },
    );
    keep('service token', stack.common.serviceToken);
    await stack.request('POST', '/auth/logout', { refresh_token: login.body.refresh_token });
    // a request that fails validation, with a password in it
    await stack.request('POST', '/auth/login', { username, password: newPassword, unexpected: true });
    await stack.request('GET', '/auth/me', undefined, { token: login.body.access_token });

    const { rows: keys } = await stack.db.query<{ private_jwk: string }>('SELECT private_jwk FROM login.signing_keys');
    for (const key of keys) keep('private signing key', (JSON.parse(key.private_jwk.replace(/^plain:/, '')) as { d: string }).d);

    // The capture really ran: the requests themselves are in the log.
    expect(stack.logs.length).toBeGreaterThan(40);
    expect(stack.logs.some((line) => line.includes('/auth/login'))).toBe(true);
    expect(stack.logs.some((line) => line.includes('/auth/refresh'))).toBe(true);

    for (const [what, secret] of secrets) {
      const leaking = stack.logs.find((line) => line.includes(secret));
      expect(leaking, `${what} appears in a log line`).toBeUndefined();
    }
    // also the signature part of each JWT alone, and recovery codes without dashes
    for (const [what, secret] of secrets) {
      if (what.startsWith('access token')) expect(stack.logs.find((l) => l.includes(secret.split('.')[2] ?? secret))).toBeUndefined();
      if (what.startsWith('recovery code')) expect(stack.logs.find((l) => l.includes(secret.replace(/-/g, '')))).toBeUndefined();
    }
  });
});
