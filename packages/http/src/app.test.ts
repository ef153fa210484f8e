import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { createHttpApp, type App } from './app.js';
import { createLogger } from './logging.js';
import { errorHelpers } from './errors.js';

const { conflict } = errorHelpers(['already_there']);

describe('http app conventions', () => {
  let app: App;
  const lines: string[] = [];
  let ready = true;
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    ({ app } = await createHttpApp({
      name: 'demo',
      logger: createLogger({ name: 'demo', level: 'info', destination }),
      bodyLimit: 1024,
      readiness: {
        thing: async () => {
          if (!ready) throw new Error('thing is down');
        },
      },
    }));
    app.post(
      '/things',
      {
        schema: {
          body: z.strictObject({ name: z.string().min(1), count: z.number().int().positive() }),
          response: { 201: z.object({ id: z.string() }) },
        },
      },
      async (_req, reply) => reply.status(201).send({ id: 't1' }),
    );
    app.post('/conflict', async () => {
      throw conflict('already_there', 'It is already there.', { id: 'x' });
    });
    app.get('/boom', async () => {
      throw new Error('secret internal detail at /var/lib/db');
    });
    app.get('/internal/x', async () => ({ ok: true }));
    app.get('/whoami', async (request) => ({ ip: request.ip }));
    await app.ready();
  });
  afterAll(() => app?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as string, headers: { 'content-type': 'application/json', ...headers } });

  it('accepts a valid body', async () => {
    const res = await post('/things', { name: 'a', count: 2 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 't1' });
  });

  it('rejects unknown fields with 400 naming them', async () => {
    const res = await post('/things', { name: 'a', count: 2, admin: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.message).toMatch(/admin/);
  });

  it('rejects wrong types with the field path', async () => {
    const res = await post('/things', { name: 'a', count: 'two' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues[0].path).toBe('body.count');
  });

  it('rejects oversized bodies with 413 payload_too_large, declared or counted while read, on unknown routes too', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(5000), count: 1 });
    const declared = await post('/things', big);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toEqual({
      error: { code: 'payload_too_large', message: 'The request body is too large (at most 1024 bytes).', details: { limit_bytes: 1024 } },
    });
    const { Readable } = await import('node:stream');
    const undeclared = await app.inject({
      method: 'POST',
      url: '/things',
      payload: Readable.from([Buffer.from(big)]),
      headers: { 'content-type': 'application/json' },
    });
    expect(undeclared.statusCode).toBe(413);
    expect(undeclared.json().error.code).toBe('payload_too_large');
    const unknown = await post('/no-such-route', big);
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([413, 'payload_too_large']);
  });

  it('rejects malformed JSON and other media types', async () => {
    const bad = await post('/things', '{"name": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_json');
    const text = await app.inject({ method: 'POST', url: '/things', payload: 'hi', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
  });

  it('passes AppErrors through with code and details', async () => {
    const res = await post('/conflict', {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: { code: 'already_there', message: 'It is already there.', details: { id: 'x' } } });
  });

  it('hides internals of unexpected errors but logs them with the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'trace-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal_error', message: 'Internal error (request trace-1).' } });
    expect(lines.some((l) => l.includes('secret internal detail') && l.includes('"reqId":"trace-1"'))).toBe(true);
  });

  it('answers 404 in the error model', async () => {
    const res = await app.inject({ method: 'GET', url: '/missing?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /missing.' } });
  });

  it('reports readiness per check', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    ready = false;
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.thing).toMatch(/thing is down/);
    ready = true;
  });

  it('keeps internal and ops routes out of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(['/things', '/conflict', '/boom', '/whoami']);
  });

  it('redacts tokens from logged URLs and secrets from logged objects', async () => {
    await app.inject({ method: 'GET', url: '/missing?access_token=abc.def.ghi' });
    app.log.info({ body: { password: 'hunter2hunter2', refresh_token: 'rt-123' } }, 'test');
    const all = lines.join('');
    expect(all).not.toMatch(/abc\.def\.ghi|hunter2hunter2|rt-123/);
    expect(all).toMatch(/access_token=\[redacted\]/);
  });

  it('believes X-Forwarded-For only from a trusted proxy (loopback by default)', async () => {
    const ipSeen = async (remoteAddress: string, forwardedFor: string) =>
      (await app.inject({ method: 'GET', url: '/whoami', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } })).json().ip;
    expect(await ipSeen('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await ipSeen('198.51.100.7', '6.6.6.6')).toBe('198.51.100.7');
  });
});
