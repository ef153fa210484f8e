import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { createHttpApp, type App } from './app.js';
import { createLogger } from './logging.js';
import { AppError, errorHelpers } from './errors.js';
import { errorResponseSchema } from './error-schema.js';
import { authedRoutes, refusing } from './route-options.js';

const CODES = ['validation_failed', 'invalid_json', 'payload_too_large', 'authentication_required', 'forbidden', 'thing_gone'] as const;
const { unauthorized, forbidden, notFound } = errorHelpers(CODES);
const errorSchema = errorResponseSchema('DemoError', CODES);
const authed = authedRoutes(errorSchema);

const user = async (request: FastifyRequest) => {
  if (request.headers.authorization !== 'Bearer good') throw unauthorized('authentication_required', 'Log in first.');
};
const admin = refusing(
  async (request: FastifyRequest) => {
    await user(request);
    if (request.headers['x-role'] !== 'admin') throw forbidden('forbidden', 'Admins only.');
  },
  [403],
);

type Operation = { security?: unknown; responses: Record<string, unknown> };

describe('route options: authed(), the automatic input errors and the error schema', () => {
  let app: App;
  let paths: Record<string, Record<string, Operation>>;
  /** The documented operation (a missing one fails the test that reads it). */
  const op = (path: string, method: string): Operation => {
    const found = paths[path]?.[method];
    if (!found) throw new Error(`${method} ${path} is not in the document`);
    return found;
  };
  beforeAll(async () => {
    ({ app } = await createHttpApp({ name: 'demo', logger: createLogger({ name: 'demo', level: 'silent' }), errorSchema }));
    app.post(
      '/things',
      authed(user, { body: z.strictObject({ name: z.string().min(1) }), response: { 201: z.object({ name: z.string() }) } }),
      async (request, reply) => reply.status(201).send({ name: request.body.name }),
    );
    app.get('/admin/things', authed(admin, { response: { 200: z.object({ ok: z.boolean() }) } }), async () => ({ ok: true }));
    app.get('/things/:id', { schema: { params: z.object({ id: z.string().max(8) }), response: { 404: errorSchema } } }, async (request) => {
      // A code outside the list (as one passed on from another service could be) keeps its status.
      if (request.params.id === 'odd') throw new AppError(404, 'not_in_the_list', 'Odd.');
      throw notFound('thing_gone', 'Gone.');
    });
    app.get('/plain', async () => ({ ok: true }));
    await app.ready();
    paths = (app.swagger() as unknown as { paths: typeof paths }).paths;
  });
  afterAll(() => app?.close());

  it('runs the guard before the body is read: no token is 401 even with an invalid body', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: { nonsense: true } });
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'authentication_required']);
    const ok = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a' }, headers: { authorization: 'Bearer good' } });
    expect(ok.statusCode).toBe(201);
  });

  it('documents what the guard enforces: security, 401, and 403 for a role guard', () => {
    expect(op('/things', 'post').security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(op('/things', 'post').responses).sort()).toEqual(['201', '400', '401', '413']);
    expect(Object.keys(op('/admin/things', 'get').responses).sort()).toEqual(['200', '401', '403']);
    expect(op('/plain', 'get').security).toBeUndefined();
    expect(Object.keys(op('/plain', 'get').responses)).toEqual(['200']);
  });

  it('adds the 400 to a route that validates input, next to the 4xx it declares', () => {
    expect(Object.keys(op('/things/{id}', 'get').responses).sort()).toEqual(['400', '404']);
    const ref = JSON.stringify(op('/things/{id}', 'get').responses['404']);
    expect(ref).toContain('#/components/schemas/DemoError');
  });

  it('lists the codes as an enum in the error schema, and never turns an unlisted code into a 500', async () => {
    const doc = app.swagger() as unknown as { components: { schemas: Record<string, any> } };
    expect(doc.components.schemas.DemoError.properties.error.properties.code.enum).toEqual([...CODES]);
    const listed = await app.inject({ method: 'GET', url: '/things/a' });
    expect([listed.statusCode, listed.json().error.code]).toEqual([404, 'thing_gone']);
    const odd = await app.inject({ method: 'GET', url: '/things/odd' });
    expect([odd.statusCode, odd.json().error.code]).toEqual([404, 'not_in_the_list']);
  });
});
