import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';

describe('gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ services: ['offers', 'transactions'] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('reports aggregated readiness naming the missing services', async () => {
    const res = await stack.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.offers).toBe('ok');
    expect(res.body.checks.transactions).toBe('ok');
    expect(res.body.checks.login).toMatch(/not reachable/);
  });

  it('answers 502 with the error model naming the unavailable service', async () => {
    const res = await stack.request('POST', '/auth/login', { username: 'x', password: 'y' });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { code: 'service_unavailable', message: expect.stringMatching(/login service is unavailable/), details: { service: 'login' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('gives unknown paths a JSON 404 and never routes /internal', async () => {
    const res = await stack.request('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const internal = await stack.request('GET', '/internal/anything');
    expect(internal.status).toBe(404);
  });

  it('propagates a request id, or makes one', async () => {
    const given = await stack.request('GET', '/healthz', undefined, { headers: { 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const made = await stack.request('GET', '/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics and the docs viewer without a CDN', async () => {
    const metrics = await stack.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/pupero_http_requests_total/);
    const docs = await stack.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.body).toMatch(/\/docs\/static\/swagger-ui-bundle\.js/);
    expect(docs.body).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${stack.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });

  it('answers CORS preflight for the web origin only', async () => {
    const ok = await fetch(`${stack.url}/offers`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5000', 'access-control-request-method': 'POST' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5000');
    const other = await fetch(`${stack.url}/offers`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves one merged OpenAPI 3 document of public paths only', async () => {
    const res = await stack.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Pupero public API');
    for (const path of Object.keys(res.body.paths)) {
      expect(path.startsWith('/internal') || path === '/healthz').toBe(false);
    }
    expect(res.body['x-unavailable-services']).toEqual(expect.arrayContaining(['login']));
  });
});
