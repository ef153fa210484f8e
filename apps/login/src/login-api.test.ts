import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@pupero/auth';
import { direct, jwtParts, median, registerAndLogin, strongPassword, uniqueName } from './test-helpers.js';

/** A just-registered user as /auth/me and the internal user lookup show it. */
const newUserJson = (user: { id: string; username: string }) => ({
  id: user.id,
  username: user.username,
  roles: ['user'],
  two_factor_enabled: false,
  created_at: expect.any(String) as string,
});

/** Every row of the Auth table of API.md, through the gateway. Throttling is relaxed here (see throttle.test.ts). */
describe('Login API through the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      services: ['login'],
      env: {
        LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES: '1000',
        LOGIN_THROTTLE_ACCOUNT_DELAY_AFTER_FAILURES: '1000',
        LOGIN_THROTTLE_IP_MAX_FAILURES: '1000000',
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const me = (token: string) => stack.request('GET', '/auth/me', undefined, { token });

  describe('POST /auth/register', () => {
    it('creates an account: 201 {user: {id, username, created_at}}, password stored as argon2id', async () => {
      const username = uniqueName('Reg');
      const res = await stack.request('POST', '/auth/register', { username, password: strongPassword() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), username, created_at: expect.any(String) } });
      expect(new Date(res.body.user.created_at).toISOString()).toBe(res.body.user.created_at);
      const { rows } = await stack.db.query<{ password_hash: string }>('SELECT password_hash FROM login.users WHERE id = $1', [
        res.body.user.id,
      ]);
      expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('409 username_taken, regardless of case', async () => {
      const username = uniqueName('Dup');
      expect((await stack.request('POST', '/auth/register', { username, password: strongPassword() })).status).toBe(201);
      const again = await stack.request('POST', '/auth/register', { username: username.toUpperCase(), password: strongPassword() });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('username_taken');
    });

    it('400 invalid_username for bad or reserved names', async () => {
      for (const username of ['ab', 'x'.repeat(33), 'has space', 'bad/char', 'Admin', 'support']) {
        const res = await stack.request('POST', '/auth/register', { username, password: strongPassword() });
        expect(res.status, username).toBe(400);
        expect(res.body.error.code).toBe('invalid_username');
      }
    });

    it('400 weak_password saying why, and nothing is created', async () => {
      const username = uniqueName('weak');
      const cases: Array<[string, RegExp]> = [
        ['short', /at least 10 characters/],
        ['password123', /most common/],
        ['Qwertyuiop2024!', /common password with digits/],
        [username, /not be your username/],
      ];
      for (const [password, why] of cases) {
        const res = await stack.request('POST', '/auth/register', { username, password });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ code: 'weak_password', message: expect.stringMatching(why) });
      }
      expect((await stack.request('POST', '/auth/register', { username, password: strongPassword() })).status).toBe(201);
    });

    it('refuses unknown fields and missing fields with validation_failed', async () => {
      const username = uniqueName('strict');
      const extra = await stack.request('POST', '/auth/register', { username, password: strongPassword(), roles: ['admin'] });
      expect(extra.status).toBe(400);
      expect(extra.body.error.code).toBe('validation_failed');
      expect(extra.body.error.message).toMatch(/roles/);
      expect((await stack.request('POST', '/auth/register', { username })).body.error.code).toBe('validation_failed');
      const bad = await stack.request('POST', '/auth/register', undefined, {
        raw: '{"username":',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.body.error.code).toBe('invalid_json');
    });
  });

  describe('POST /auth/login', () => {
    it('returns tokens and the user; the access token is an EdDSA JWT with the contract claims', async () => {
      const username = uniqueName('Login');
      const password = strongPassword();
      await stack.request('POST', '/auth/register', { username, password });
      const res = await stack.request('POST', '/auth/login', { username: username.toLowerCase(), password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 900,
        user: newUserJson({ id: expect.any(String) as string, username }),
      });
      const { header, payload } = jwtParts(res.body.access_token);
      const jwks = (await stack.request('GET', '/auth/.well-known/jwks.json')).body;
      expect(header).toEqual({ alg: 'EdDSA', kid: jwks.keys[0].kid, typ: 'JWT' });
      expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'roles', 'sid', 'sub', 'username']);
      expect(payload).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: res.body.user.id, username, roles: ['user'] });
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);
      await expect(jwtVerify(res.body.access_token, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] })).resolves.toBeTruthy();
    });

    it('401 invalid_credentials, identical for an unknown user and a wrong password', async () => {
      const user = await registerAndLogin(stack);
      const wrong = await stack.request('POST', '/auth/login', { username: user.username, password: 'wrong-password-123' });
      const unknown = await stack.request('POST', '/auth/login', { username: uniqueName('ghost'), password: 'wrong-password-123' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.code).toBe('invalid_credentials');
    });

    it('measures login, register, and unknown-user vs wrong-password timing (no difference worth measuring)', async () => {
      const user = await registerAndLogin(stack);
      const time = async (fn: () => Promise<unknown>) => {
        const t0 = performance.now();
        await fn();
        return performance.now() - t0;
      };
      const unknown: number[] = [];
      const wrong: number[] = [];
      const ok: number[] = [];
      const register: number[] = [];
      for (let i = 0; i < 20; i++) {
        unknown.push(
          await time(() => stack.request('POST', '/auth/login', { username: uniqueName('nobody'), password: 'wrong-password-123' })),
        );
        wrong.push(await time(() => stack.request('POST', '/auth/login', { username: user.username, password: 'wrong-password-123' })));
        ok.push(await time(() => stack.request('POST', '/auth/login', { username: user.username, password: user.password })));
        if (i < 10)
          register.push(
            await time(() => stack.request('POST', '/auth/register', { username: uniqueName('timing'), password: strongPassword() })),
          );
      }
      const m = { unknown: median(unknown), wrong: median(wrong), login: median(ok), register: median(register) };
      // Paired (each unknown-user attempt next to a wrong-password one), so load drifting on a busy machine cancels out.
      const pairedDifference = median(unknown.map((u, i) => u - (wrong[i] ?? Number.NaN)));
      const shown = Object.fromEntries(Object.entries({ ...m, pairedDifference }).map(([k, v]) => [k, +v.toFixed(1)]));
      console.log(`timing medians (ms, through the gateway): ${JSON.stringify(shown)}`);
      // Skipping argon2 for unknown users would make them far faster; equal work keeps the difference in the noise.
      expect(Math.abs(pairedDifference)).toBeLessThan(0.3 * m.wrong);
    });
  });

  describe('GET /auth/me', () => {
    it('answers {id, username, roles, two_factor_enabled, created_at}', async () => {
      const user = await registerAndLogin(stack);
      const res = await me(user.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(newUserJson(user));
    });

    it('401 authentication_required without a token, invalid_token with a bad one', async () => {
      expect((await stack.request('GET', '/auth/me')).body.error.code).toBe('authentication_required');
      const bad = await me('not-a-jwt');
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('invalid_token');
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates: new tokens, the old refresh token stops working', async () => {
      const user = await registerAndLogin(stack);
      const res = await stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
      });
      expect(res.body.refresh_token).not.toBe(user.refreshToken);
      expect(jwtParts(res.body.access_token).payload.sid).toBe(jwtParts(user.token).payload.sid);
      expect((await me(res.body.access_token)).status).toBe(200);
      // a second rotation from the new token works too
      const again = await stack.request('POST', '/auth/refresh', { refresh_token: res.body.refresh_token });
      expect(again.status).toBe(200);
    });

    it('reuse of a rotated token → 401 and the whole family is revoked (also its newest token and access tokens)', async () => {
      const user = await registerAndLogin(stack);
      const first = await stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken });
      const second = await stack.request('POST', '/auth/refresh', { refresh_token: first.body.refresh_token });
      expect(second.status).toBe(200);
      const reuse = await stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error.code).toBe('refresh_token_reused');
      const newest = await stack.request('POST', '/auth/refresh', { refresh_token: second.body.refresh_token });
      expect(newest.status).toBe(401);
      expect(newest.body.error.code).toBe('invalid_refresh_token');
      expect((await me(second.body.access_token)).status).toBe(401);
      // the user sees what happened from a new login
      const fresh = await stack.request('POST', '/auth/login', { username: user.username, password: user.password });
      const events = await stack.request('GET', '/auth/events', undefined, { token: fresh.body.access_token });
      expect(events.body.items.map((e: { type: string }) => e.type)).toContain('refresh_token_reused');
    });

    it('two concurrent uses of one token: one wins, the other is reuse and ends the session', async () => {
      const user = await registerAndLogin(stack);
      const results = await Promise.all([1, 2].map(() => stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      expect((await stack.request('POST', '/auth/refresh', { refresh_token: winner.body.refresh_token })).status).toBe(401);
    });

    it('401 invalid_refresh_token for unknown or malformed tokens; refreshed tokens carry current roles', async () => {
      for (const token of ['x', 'A'.repeat(43)]) {
        const res = await stack.request('POST', '/auth/refresh', { refresh_token: token });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('invalid_refresh_token');
      }
      const user = await registerAndLogin(stack);
      const { grantRole } = await import('./index.js');
      await grantRole(stack.db, user.username.toUpperCase(), 'moderator');
      const res = await stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken });
      expect(jwtParts(res.body.access_token).payload.roles).toEqual(['user', 'moderator']);
    });
  });

  describe('POST /auth/logout', () => {
    it('204; the session is over (refresh and access token refused), other sessions stay', async () => {
      const user = await registerAndLogin(stack);
      const other = await stack.request('POST', '/auth/login', { username: user.username, password: user.password });
      const res = await stack.request('POST', '/auth/logout', { refresh_token: user.refreshToken });
      expect(res.status).toBe(204);
      expect((await stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken })).status).toBe(401);
      const after = await me(user.token);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('invalid_token');
      expect((await me(other.body.access_token)).status).toBe(200);
      expect((await stack.request('POST', '/auth/logout', { refresh_token: user.refreshToken })).status).toBe(204);
      expect((await stack.request('POST', '/auth/logout', { refresh_token: 'garbage' })).status).toBe(204);
    });
  });

  describe('POST /auth/password', () => {
    it('204; every other session is revoked, the current one stays; the new password logs in', async () => {
      const user = await registerAndLogin(stack);
      const other = await stack.request('POST', '/auth/login', { username: user.username, password: user.password });
      const newPassword = strongPassword();
      const res = await stack.request(
        'POST',
        '/auth/password',
        { current_password: user.password, new_password: newPassword },
        { token: user.token },
      );
      expect(res.status).toBe(204);
      expect((await me(user.token)).status).toBe(200);
      expect((await stack.request('POST', '/auth/refresh', { refresh_token: user.refreshToken })).status).toBe(200);
      expect((await me(other.body.access_token)).status).toBe(401);
      expect((await stack.request('POST', '/auth/refresh', { refresh_token: other.body.refresh_token })).status).toBe(401);
      expect((await stack.request('POST', '/auth/login', { username: user.username, password: user.password })).status).toBe(401);
      expect((await stack.request('POST', '/auth/login', { username: user.username, password: newPassword })).status).toBe(200);
      const events = await stack.request('GET', '/auth/events', undefined, { token: user.token });
      expect(events.body.items.find((e: { type: string }) => e.type === 'password_changed').details).toEqual({ other_sessions_ended: '1' });
    });

    it('refuses a wrong current password, a weak or unchanged new one, and needs a token', async () => {
      const user = await registerAndLogin(stack);
      const post = (body: unknown, token?: string) => stack.request('POST', '/auth/password', body, { token });
      const wrong = await post({ current_password: 'not-my-password', new_password: strongPassword() }, user.token);
      expect([wrong.status, wrong.body.error.code]).toEqual([400, 'invalid_current_password']);
      const weak = await post({ current_password: user.password, new_password: 'password123' }, user.token);
      expect([weak.status, weak.body.error.code]).toEqual([400, 'weak_password']);
      const same = await post({ current_password: user.password, new_password: user.password }, user.token);
      expect([same.status, same.body.error.code]).toEqual([400, 'password_unchanged']);
      expect((await post({ current_password: user.password, new_password: strongPassword() })).status).toBe(401);
      expect((await stack.request('POST', '/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    });
  });

  describe('GET /auth/events', () => {
    it("lists the caller's own events, newest first, with ip and user agent, paginated", async () => {
      const user = await registerAndLogin(stack);
      await stack.request(
        'POST',
        '/auth/login',
        { username: user.username, password: 'wrong-password-1' },
        { headers: { 'user-agent': 'pupero-test/1' } },
      );
      const stranger = await registerAndLogin(stack);
      const page1 = await stack.request('GET', '/auth/events?limit=2', undefined, { token: user.token });
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(2);
      expect(page1.body.items[0]).toEqual({
        id: expect.any(String),
        type: 'login_failed',
        created_at: expect.any(String),
        ip: '127.0.0.1',
        user_agent: 'pupero-test/1',
        details: { reason: 'invalid_credentials' },
      });
      expect(page1.body.items[1].type).toBe('login_succeeded');
      const page2 = await stack.request('GET', `/auth/events?limit=2&cursor=${page1.body.next_cursor}`, undefined, { token: user.token });
      expect(page2.body.items.map((e: { type: string }) => e.type)).toEqual(['registered']);
      expect(page2.body.next_cursor).toBeNull();
      const theirs = await stack.request('GET', '/auth/events', undefined, { token: stranger.token });
      expect(theirs.body.items.every((e: { id: string }) => !page1.body.items.some((mine: { id: string }) => mine.id === e.id))).toBe(true);
      expect((await stack.request('GET', '/auth/events?cursor=bogus', undefined, { token: user.token })).body.error.code).toBe(
        'invalid_cursor',
      );
      expect((await stack.request('GET', '/auth/events?limit=0', undefined, { token: user.token })).status).toBe(400);
    });
  });

  describe('GET /auth/sessions', () => {
    it('lists my sessions and ends one of them', async () => {
      const user = await registerAndLogin(stack);
      const other = await stack.request('POST', '/auth/login', { username: user.username, password: user.password });
      const list = await stack.request('GET', '/auth/sessions', undefined, { token: user.token });
      expect(list.body.items).toHaveLength(2);
      const otherSid = jwtParts(other.body.access_token).payload.sid as string;
      expect(list.body.items.find((s: { current: boolean }) => s.current).id).toBe(jwtParts(user.token).payload.sid);
      expect((await stack.request('DELETE', `/auth/sessions/${otherSid}`, undefined, { token: user.token })).status).toBe(204);
      expect((await me(other.body.access_token)).status).toBe(401);
      const stranger = await registerAndLogin(stack);
      const foreign = await stack.request('DELETE', `/auth/sessions/${jwtParts(user.token).payload.sid as string}`, undefined, {
        token: stranger.token,
      });
      expect(foreign.status).toBe(404);
      expect((await stack.request('DELETE', '/auth/sessions/not-a-uuid', undefined, { token: user.token })).status).toBe(404);
      expect((await me(user.token)).status).toBe(200);
    });
  });

  describe('GET /auth/.well-known/jwks.json', () => {
    it('publishes only public Ed25519 keys, without auth', async () => {
      const res = await stack.request('GET', '/auth/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.body.keys.length).toBeGreaterThanOrEqual(1);
      for (const key of res.body.keys) {
        expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
        expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      }
    });
  });

  describe('admin user management (/admin/users)', () => {
    it('is for admins (and moderators to read); roles can be granted and revoked', async () => {
      const plain = await registerAndLogin(stack);
      expect((await stack.request('GET', '/admin/users', undefined, { token: plain.token })).status).toBe(403);
      const admin = await stack.grantRole(await stack.newUser('boss'), 'admin');
      const list = await stack.request('GET', `/admin/users?prefix=${plain.username.slice(0, 12)}`, undefined, { token: admin.token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((u: { id: string }) => u.id)).toContain(plain.id);
      const granted = await stack.request('PUT', `/admin/users/${plain.id}/roles/moderator`, undefined, { token: admin.token });
      expect(granted.body.roles).toEqual(['user', 'moderator']);
      const revoked = await stack.request('DELETE', `/admin/users/${plain.id}/roles/moderator`, undefined, { token: admin.token });
      expect(revoked.body.roles).toEqual(['user']);
      expect((await stack.request('PUT', `/admin/users/${plain.id}/roles/god`, undefined, { token: admin.token })).status).toBe(400);
      const self = await stack.request('DELETE', `/admin/users/${admin.id}/roles/admin`, undefined, { token: admin.token });
      expect(self.body.error.code).toBe('cannot_revoke_own_admin');
      // A moderator-granted token cannot grant roles
      const mod = await stack.grantRole(await stack.newUser('mod'), 'moderator');
      expect((await stack.request('GET', '/admin/users', undefined, { token: mod.token })).status).toBe(200);
      expect((await stack.request('PUT', `/admin/users/${mod.id}/roles/admin`, undefined, { token: mod.token })).status).toBe(403);
    });

    it('a cursor it never issued is 400 invalid_cursor, not 500 (found by the request-schema property test)', async () => {
      const admin = await stack.grantRole(await stack.newUser('boss'), 'admin');
      for (const cursor of ['AA%60%3EyA', Buffer.from('a\u0000b').toString('base64url'), Buffer.from([0xff, 0xfe]).toString('base64url')]) {
        const res = await stack.request('GET', `/admin/users?cursor=${cursor}`, undefined, { token: admin.token });
        expect([res.status, res.body.error?.code]).toEqual([400, 'invalid_cursor']);
      }
    });

    it('grantRole throws a clear error for an unknown user', async () => {
      const { grantRole, revokeRole } = await import('./index.js');
      await expect(grantRole(stack.db, 'no-such-user-x', 'admin')).rejects.toThrow(/No user named "no-such-user-x"/);
      await expect(revokeRole(stack.db, 'no-such-user-x', 'admin')).rejects.toThrow(/No user named/);
    });
  });

  describe('internal API', () => {
    it('GET /internal/users/{id} needs the service token; 404 user_not_found; never routed by the gateway', async () => {
      const user = await registerAndLogin(stack);
      const token = { 'x-service-token': stack.common.serviceToken };
      const res = await direct(stack, 'GET', `/internal/users/${user.id}`, undefined, token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(newUserJson(user));
      expect((await direct(stack, 'GET', `/internal/users/${user.id}`)).status).toBe(403);
      expect((await direct(stack, 'GET', `/internal/users/${user.id}`, undefined, { 'x-service-token': 'x'.repeat(40) })).status).toBe(403);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const missing = await direct(stack, 'GET', `/internal/users/${id}`, undefined, token);
        expect([missing.status, missing.body.error.code]).toEqual([404, 'user_not_found']);
      }
      const batch = await direct(stack, 'GET', `/internal/users?ids=${user.id},not-an-id`, undefined, token);
      expect(Object.keys(batch.body.items)).toEqual([user.id]);
      expect((await stack.request('GET', `/internal/users/${user.id}`, undefined, { headers: token })).status).toBe(404);
    });
  });

  it('documents the public routes in the OpenAPI document, with bearer security where needed', async () => {
    const doc = (await stack.request('GET', '/openapi.json')).body;
    for (const path of [
      '/auth/register',
      '/auth/login',
      '/auth/refresh',
      '/auth/logout',
      '/auth/me',
      '/auth/2fa/setup',
      '/auth/2fa/enable',
      '/auth/2fa/disable',
      '/auth/password',
      '/auth/.well-known/jwks.json',
      '/auth/events',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/auth/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/internal'))).toBe(false);
  });
});
