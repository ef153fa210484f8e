import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { App } from '@pupero/http';

const require = createRequire(import.meta.url);
const ASSETS = dirname(require.resolve('swagger-ui-dist/package.json'));
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pupero API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/static/swagger-ui-standalone-preset.js"></script>
<script src="/docs/static/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

/** The interactive API viewer, served from the installed swagger-ui-dist (no CDN). */
export function registerDocsViewer(app: App): void {
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(PAGE));
  app.get('/docs/static/init.js', { schema: { hide: true } }, async (_request, reply) => reply.type('application/javascript').send(INIT));
  app.get<{ Params: { file: string } }>('/docs/static/:file', { schema: { hide: true } }, async (request, reply) => {
    const type = FILES[request.params.file];
    if (!type) return reply.status(404).send({ error: { code: 'not_found', message: 'No such file.' } });
    reply.header('cache-control', 'public, max-age=86400');
    return reply.type(type).send(await readFile(join(ASSETS, request.params.file)));
  });
}
