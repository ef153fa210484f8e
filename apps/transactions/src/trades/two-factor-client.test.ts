import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AppError } from '@pupero/http';
import { createTwoFactorClient } from './two-factor-client.js';

/**
 * The 2FA gate against a small local HTTP server playing the Login API's internal routes. It must
 * fail closed: whatever goes wrong, the action does not go ahead.
 */
describe('two-factor client (Login API)', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ method?: string; url?: string; token?: string | string[]; body: string }> = [];
  // user id -> what the fake Login API answers
  type Answer = { status: number; body: unknown; delayMs?: number };
  const users: Record<string, Answer> & { broken: Answer } = {
    off: { status: 200, body: { two_factor_enabled: false } },
    on: { status: 200, body: { two_factor_enabled: true } },
    odd: { status: 200, body: {} },
    gone: { status: 404, body: { error: { code: 'user_not_found', message: 'No user has this id.' } } },
    broken: { status: 500, body: 'oops' },
    locked: { status: 429, body: { error: { code: 'rate_limited', message: 'later', details: { retry_after_seconds: 42 } } } },
    slow: { status: 200, body: { two_factor_enabled: false }, delayMs: 3000 },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, token: req.headers['x-service-token'], body });
        const id =
          req.method === 'GET' ? decodeURIComponent(req.url!.split('/').pop()!) : (JSON.parse(body) as { user_id: string }).user_id;
        const code = req.method === 'POST' ? (JSON.parse(body) as { code: string }).code : undefined;
        let answer = users[id] ?? users.broken;
        if (req.method === 'POST' && (id === 'on' || id === 'off')) {
          answer = { status: 200, body: { two_factor_enabled: id === 'on', valid: id === 'on' && code === '246810' } };
        }
        setTimeout(() => {
          res.writeHead(answer.status, typeof answer.body === 'string' ? {} : { 'content-type': 'application/json' });
          res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const gate = (base = () => url) =>
    createTwoFactorClient({
      baseUrl: base,
      serviceToken: 'service-token-service-token',
      timeoutMs: 1500,
      logger: pino({ level: 'silent' }),
    });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { status: e.statusCode, code: e.code, details: e.details, headers: e.headers };
  };

  it('without a code: lets a user with 2FA off through and refuses one with 2FA on (nothing is used up)', async () => {
    await expect(gate().require('off', {})).resolves.toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/internal/users/off', token: 'service-token-service-token' });
    expect(await refusal(gate().require('on', {}))).toMatchObject({
      status: 401,
      code: 'two_factor_required',
      details: { reason: 'missing_code' },
    });
    expect(await refusal(gate().require('on', { totpCode: '   ' }))).toMatchObject({ status: 401, details: { reason: 'missing_code' } });
    // An answer without the flag is not taken as "2FA off".
    expect(await refusal(gate().require('odd', {}))).toMatchObject({ status: 401, code: 'two_factor_required' });
  });

  it('with a code: verifies it through /internal/2fa/verify; a wrong one is 401, a right one passes', async () => {
    await expect(gate().require('on', { totpCode: '246810' })).resolves.toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/internal/2fa/verify' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ user_id: 'on', code: '246810' });
    expect(await refusal(gate().require('on', { totpCode: '111111' }))).toMatchObject({
      status: 401,
      code: 'two_factor_required',
      details: { reason: 'invalid_code' },
    });
    await gate()
      .require('on', { recoveryCode: 'abcd-efgh' })
      .catch(() => undefined);
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ user_id: 'on', code: 'abcd-efgh' });
    await expect(gate().require('off', { totpCode: '999999' })).resolves.toBeUndefined();
  });

  it('fails closed: a locked account is 429 with Retry-After; an unknown user 401; a failing, slow or absent Login API 502', async () => {
    expect(await refusal(gate().require('locked', { totpCode: '123456' }))).toMatchObject({
      status: 429,
      code: 'rate_limited',
      details: { retry_after_seconds: 42 },
      headers: { 'retry-after': '42' },
    });
    expect(await refusal(gate().require('gone', {}))).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(await refusal(gate().require('broken', {}))).toMatchObject({
      status: 502,
      code: 'service_unavailable',
      details: { service: 'login' },
    });
    expect(await refusal(gate().require('broken', { totpCode: '123456' }))).toMatchObject({ status: 502 });
    expect(await refusal(gate().require('slow', {}))).toMatchObject({ status: 502 });
    expect(await refusal(gate(() => 'http://127.0.0.1:1').require('off', {}))).toMatchObject({ status: 502 });
  });
});
