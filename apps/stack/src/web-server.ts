import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { createHttpApp, type PuperoService } from '@pupero/http';
import type { CommonConfig } from '@pupero/config';
import type { Logger } from 'pino';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Serves the built single-page app (no dev server); unknown paths fall back to index.html. */
export async function createWebServer(deps: { common: CommonConfig; logger: Logger; distDir?: string }): Promise<PuperoService> {
  const root = deps.distDir ?? WEB_DIST;
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`the web app is not built (${root}/index.html missing): run "npm run build:web"`);
  }
  const { app } = await createHttpApp({
    name: 'web',
    logger: deps.logger.child({ service: 'web' }),
    limits: deps.common.http,
    notFound: (request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/assets/')) return reply.type('text/html').sendFile('index.html');
      return reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } });
    },
  });
  const api = new URL(deps.common.urls.gateway).origin;
  app.addHook('onSend', async (_request, reply) => {
    // Everything is bundled and served from here: the page may only talk to itself and the API.
    reply.header(
      'content-security-policy',
      `default-src 'self'; connect-src 'self' ${api}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
  app.get('/config.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('application/javascript')
      .header('cache-control', 'no-store')
      .send(`window.PUPERO_CONFIG = ${JSON.stringify({ apiUrl: deps.common.urls.gateway })};`),
  );
  return { name: 'web', app, start: async () => {}, stop: async () => {} };
}
