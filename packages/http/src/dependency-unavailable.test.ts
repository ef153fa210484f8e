import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, type App } from './app.js';
import { AppError, dependencyUnavailable } from './errors.js';
import { createLogger } from './logging.js';
import { ServiceClient, UpstreamError } from './service-client.js';

/**
 * A database that is down is a 503 naming it, not a 500, and a service that hears that from another
 * passes it on instead of blaming the other service (502 service_unavailable).
 */
describe('dependency_unavailable', () => {
  let app: App;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    ({ app } = await createHttpApp({ name: 'demo', logger: createLogger({ name: 'demo', level: 'info', destination }) }));
    // The shape of what `pg` throws when the server is not listening (no SQLSTATE, an errno code).
    app.get('/refused', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    });
    // What PostgreSQL sends when it shuts down under a query (SQLSTATE 57P01, severity FATAL).
    app.get('/shutdown', async () => {
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    });
    app.get('/unique', async () => {
      throw Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' });
    });
    app.get('/bare-503', async (_req, reply) => reply.status(503).send('down'));
    app.get('/wallet-down', async () => {
      throw dependencyUnavailable('wallet', 5);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => app?.close());

  it('answers 503 dependency_unavailable naming the database, with Retry-After, for connection failures', async () => {
    for (const path of ['/refused', '/shutdown']) {
      const res = await app.inject({ method: 'GET', url: path });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json()).toEqual({
        error: {
          code: 'dependency_unavailable',
          message: 'The database is unavailable right now; try again shortly.',
          details: { dependency: 'database' },
        },
      });
    }
    // Internals (host, port) stay out of the answer.
    expect((await app.inject({ method: 'GET', url: '/refused' })).body).not.toMatch(/5999|127\.0\.0\.1/);
  });

  it('still answers 500 for database errors that are bugs, not outages', async () => {
    const res = await app.inject({ method: 'GET', url: '/unique' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
  });

  it('ServiceClient passes a 503 dependency_unavailable on as is (not as UpstreamError blaming the service)', async () => {
    const client = new ServiceClient('demo', () => url, 'token');
    const refused = await client.get('/refused').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).not.toBeInstanceOf(UpstreamError);
    expect((refused as AppError).statusCode).toBe(503);
    expect((refused as AppError).toBody().error).toMatchObject({ code: 'dependency_unavailable', details: { dependency: 'database' } });
    expect((refused as AppError).headers).toEqual({ 'retry-after': '2' });
    const wallet = (await client.get('/wallet-down').catch((e: unknown) => e)) as AppError;
    expect(wallet.toBody().error.details).toEqual({ dependency: 'wallet' });
    expect(wallet.headers).toEqual({ 'retry-after': '5' });
    // A 503 without the error model is still the other service being unavailable.
    const bare = (await client.get('/bare-503').catch((e: unknown) => e)) as AppError;
    expect([bare.statusCode, bare.code]).toEqual([502, 'service_unavailable']);
  });
});
