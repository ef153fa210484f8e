import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { direct, oathtool, registerAndLogin } from '../test-helpers.js';

/** TOTP 2FA through the gateway, with codes made by Debian's oathtool. */
describe('two-factor authentication', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Secrets sealed at rest here, so the whole path runs with encryption on.
    stack = await startTestStack({ services: ['login'], env: { LOGIN_SECRETS_KEY: randomBytes(32).toString('base64') } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (path: string, body: unknown, token?: string) => stack.request('POST', path, body, { token });

  /** Registers a user and turns 2FA on with oathtool's current code (that time step is then spent). */
  async function userWith2fa() {
    const user = await registerAndLogin(stack);
    const setup = await post('/auth/2fa/setup', undefined, user.token);
    const enabled = await post('/auth/2fa/enable', { code: oathtool(setup.body.secret) }, user.token);
    expect(enabled.status).toBe(200);
    return { ...user, secret: setup.body.secret as string, recoveryCodes: enabled.body.recovery_codes as string[] };
  }

  it('setup returns a secret and an otpauth URL, and does not turn 2FA on yet', async () => {
    const user = await registerAndLogin(stack);
    const res = await post('/auth/2fa/setup', undefined, user.token);
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(res.body.otpauth_url);
    expect(decodeURIComponent(url.pathname)).toBe(`/Pupero:${user.username}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Pupero',
      secret: res.body.secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect((await stack.request('GET', '/auth/me', undefined, { token: user.token })).body.two_factor_enabled).toBe(false);
    expect((await post('/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    // the secret is stored sealed, never in clear
    const { rows } = await stack.db.query<{ totp_pending_secret: string }>('SELECT totp_pending_secret FROM login.users WHERE id = $1', [
      user.id,
    ]);
    expect(rows[0]?.totp_pending_secret).toMatch(/^v1:/);
    expect(rows[0]?.totp_pending_secret).not.toContain(res.body.secret);
  });

  it('enable needs setup first and a right code; it returns ten recovery codes once', async () => {
    const user = await registerAndLogin(stack);
    const early = await post('/auth/2fa/enable', { code: '123456' }, user.token);
    expect([early.status, early.body.error.code]).toEqual([409, 'two_factor_setup_required']);
    const setup = await post('/auth/2fa/setup', undefined, user.token);
    const wrongCode = oathtool(setup.body.secret) === '000000' ? '111111' : '000000';
    const wrong = await post('/auth/2fa/enable', { code: wrongCode }, user.token);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'invalid_two_factor_code']);
    const res = await post('/auth/2fa/enable', { code: oathtool(setup.body.secret) }, user.token);
    expect(res.status).toBe(200);
    expect(res.body.recovery_codes).toHaveLength(10);
    expect(new Set(res.body.recovery_codes).size).toBe(10);
    expect((await stack.request('GET', '/auth/me', undefined, { token: user.token })).body.two_factor_enabled).toBe(true);
    const again = await post('/auth/2fa/setup', undefined, user.token);
    expect([again.status, again.body.error.code]).toEqual([409, 'two_factor_already_enabled']);
    const { rows } = await stack.db.query<{ code_hash: string }>('SELECT code_hash FROM login.recovery_codes WHERE user_id = $1', [
      user.id,
    ]);
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.code_hash).join()).not.toContain(res.body.recovery_codes[0].replace(/-/g, '').slice(0, 8));
  });

  it("turning 2FA on ends the user's other sessions (their refresh tokens stop working); this session and other users' stay", async () => {
    const user = await registerAndLogin(stack);
    // Two more sessions of the same account (say, a stolen one and an old laptop), and someone else's.
    const other1 = await post('/auth/login', { username: user.username, password: user.password });
    const other2 = await post('/auth/login', { username: user.username, password: user.password });
    const stranger = await registerAndLogin(stack);
    const setup = await post('/auth/2fa/setup', undefined, user.token);
    // A failed enable ends nothing.
    const wrongCode = oathtool(setup.body.secret) === '000000' ? '111111' : '000000';
    expect((await post('/auth/2fa/enable', { code: wrongCode }, user.token)).status).toBe(400);
    const refreshed = await post('/auth/refresh', { refresh_token: other1.body.refresh_token });
    expect(refreshed.status).toBe(200);

    expect((await post('/auth/2fa/enable', { code: oathtool(setup.body.secret) }, user.token)).status).toBe(200);
    for (const token of [refreshed.body.refresh_token, other2.body.refresh_token]) {
      const res = await post('/auth/refresh', { refresh_token: token });
      expect(res.status).toBe(401);
    }
    // The other sessions' access tokens are refused by the login service at once.
    expect((await stack.request('GET', '/auth/me', undefined, { token: other2.body.access_token })).status).toBe(401);
    // The session that turned 2FA on goes on, and so does another user's.
    expect((await stack.request('GET', '/auth/me', undefined, { token: user.token })).body.two_factor_enabled).toBe(true);
    expect((await post('/auth/refresh', { refresh_token: user.refreshToken })).status).toBe(200);
    expect((await post('/auth/refresh', { refresh_token: stranger.refreshToken })).status).toBe(200);
    const sessions = await stack.db.query<{ revoked_reason: string | null }>(
      'SELECT revoked_reason FROM login.sessions WHERE user_id = $1 ORDER BY created_at',
      [user.id],
    );
    expect(sessions.rows.map((r) => r.revoked_reason)).toEqual([null, 'two_factor_enabled', 'two_factor_enabled']);
    const events = await stack.request('GET', '/auth/events', undefined, { token: user.token });
    expect(events.body.items.find((e: { type: string }) => e.type === 'two_factor_enabled').details).toMatchObject({
      other_sessions_ended: '2',
    });
  });

  it('login with 2FA on: 401 two_factor_required when the code is missing or wrong, 200 with an oathtool code', async () => {
    const user = await userWith2fa();
    const missing = await post('/auth/login', { username: user.username, password: user.password });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({
      code: 'two_factor_required',
      message: expect.stringMatching(/code is missing/),
      details: { reason: 'missing_code' },
    });
    const wrong = await post('/auth/login', { username: user.username, password: user.password, totp_code: '12345x' });
    expect(wrong.body.error).toMatchObject({
      code: 'two_factor_required',
      message: expect.stringMatching(/wrong or was already used/),
      details: { reason: 'invalid_code' },
    });
    // a wrong password is still just invalid_credentials (no hint that 2FA is on)
    const badPassword = await post('/auth/login', {
      username: user.username,
      password: 'wrong-password-1',
      totp_code: oathtool(user.secret, 30),
    });
    expect(badPassword.body.error.code).toBe('invalid_credentials');
    const ok = await post('/auth/login', { username: user.username, password: user.password, totp_code: oathtool(user.secret, 30) });
    expect(ok.status).toBe(200);
    expect(ok.body.user.two_factor_enabled).toBe(true);
  });

  it('a code is accepted once (replay protection), and never an older one', async () => {
    const user = await userWith2fa(); // spent the current step
    const current = oathtool(user.secret);
    const replay = await post('/auth/login', { username: user.username, password: user.password, totp_code: current });
    expect(replay.status).toBe(401);
    const next = oathtool(user.secret, 30);
    expect((await post('/auth/login', { username: user.username, password: user.password, totp_code: next })).status).toBe(200);
    expect((await post('/auth/login', { username: user.username, password: user.password, totp_code: next })).status).toBe(401);
    expect(
      (await post('/auth/login', { username: user.username, password: user.password, totp_code: oathtool(user.secret, -30) })).status,
    ).toBe(401);
  });

  it('a recovery code logs in once, in any case, and is recorded', async () => {
    const user = await userWith2fa();
    const code = user.recoveryCodes[0];
    assert(code);
    const ok = await post('/auth/login', { username: user.username, password: user.password, recovery_code: code.toUpperCase() });
    expect(ok.status).toBe(200);
    const reused = await post('/auth/login', { username: user.username, password: user.password, recovery_code: code });
    expect(reused.body.error.code).toBe('two_factor_required');
    const both = await post('/auth/login', {
      username: user.username,
      password: user.password,
      recovery_code: user.recoveryCodes[1],
      totp_code: '123456',
    });
    expect(both.status).toBe(400);
    const events = await stack.request('GET', '/auth/events', undefined, { token: ok.body.access_token });
    const used = events.body.items.find((e: { type: string }) => e.type === 'recovery_code_used');
    expect(used.details).toEqual({ during: 'login', remaining: '9' });
  });

  it('disable needs a valid code (TOTP or recovery); afterwards login needs none', async () => {
    const user = await userWith2fa();
    const wrong = await post('/auth/2fa/disable', { code: '000000' === oathtool(user.secret, 30) ? '111111' : '000000' }, user.token);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'invalid_two_factor_code']);
    const res = await post('/auth/2fa/disable', { code: oathtool(user.secret, 30) }, user.token);
    expect(res.status).toBe(204);
    expect((await stack.request('GET', '/auth/me', undefined, { token: user.token })).body.two_factor_enabled).toBe(false);
    expect((await post('/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    const again = await post('/auth/2fa/disable', { code: '123456' }, user.token);
    expect([again.status, again.body.error.code]).toEqual([409, 'two_factor_not_enabled']);
    const types = (await stack.request('GET', '/auth/events', undefined, { token: user.token })).body.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(expect.arrayContaining(['two_factor_enabled', 'two_factor_disabled', 'two_factor_failed']));
    const { rows } = await stack.db.query('SELECT 1 FROM login.recovery_codes WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(0);

    const other = await userWith2fa();
    expect((await post('/auth/2fa/disable', { code: other.recoveryCodes[3] }, other.token)).status).toBe(204);
  });

  it('recovery codes can be replaced (the old ones stop working)', async () => {
    const user = await userWith2fa();
    const res = await post('/auth/2fa/recovery-codes', { code: user.recoveryCodes[0] }, user.token);
    expect(res.status).toBe(200);
    expect(res.body.recovery_codes).toHaveLength(10);
    const old = await post('/auth/login', { username: user.username, password: user.password, recovery_code: user.recoveryCodes[1] });
    expect(old.status).toBe(401);
    const fresh = await post('/auth/login', {
      username: user.username,
      password: user.password,
      recovery_code: res.body.recovery_codes[0],
    });
    expect(fresh.status).toBe(200);
  });

  it('POST /internal/2fa/verify checks a TOTP or recovery code once, for services only', async () => {
    const user = await userWith2fa();
    const headers = { 'x-service-token': stack.common.serviceToken };
    const verify = (body: unknown) => direct(stack, 'POST', '/internal/2fa/verify', body, headers);
    expect((await verify({ user_id: user.id, code: oathtool(user.secret, 30) })).body).toEqual({ two_factor_enabled: true, valid: true });
    expect((await verify({ user_id: user.id, code: oathtool(user.secret, 30) })).body).toEqual({ two_factor_enabled: true, valid: false });
    expect((await verify({ user_id: user.id, code: user.recoveryCodes[0] })).body).toEqual({ two_factor_enabled: true, valid: true });
    expect((await verify({ user_id: user.id, code: user.recoveryCodes[0] })).body).toEqual({ two_factor_enabled: true, valid: false });
    const plain = await registerAndLogin(stack);
    expect((await verify({ user_id: plain.id, code: '123456' })).body).toEqual({ two_factor_enabled: false, valid: false });
    const unknown = await verify({ user_id: '00000000-0000-4000-8000-000000000000', code: '123456' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'user_not_found']);
    expect((await direct(stack, 'POST', '/internal/2fa/verify', { user_id: user.id, code: '123456' })).status).toBe(403);
  });

  it('throttles wrong codes per account: 429 rate_limited with Retry-After, even for a right code', async () => {
    const user = await userWith2fa();
    const wrongCode = (i: number) => String((Number(oathtool(user.secret, 30)) + 1 + i) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const res = await post('/auth/login', { username: user.username, password: user.password, totp_code: wrongCode(i) });
      expect(res.body.error.code).toBe('two_factor_required');
    }
    const locked = await post('/auth/login', { username: user.username, password: user.password, totp_code: oathtool(user.secret, 30) });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // the same lock guards the service check (a withdrawal's 2FA)
    const internal = await direct(
      stack,
      'POST',
      '/internal/2fa/verify',
      { user_id: user.id, code: oathtool(user.secret, 30) },
      { 'x-service-token': stack.common.serviceToken },
    );
    expect(internal.status).toBe(429);
    expect((await post('/auth/2fa/disable', { code: oathtool(user.secret, 30) }, user.token)).status).toBe(429);
  });
});
