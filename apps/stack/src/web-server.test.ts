import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonConfigSchema, loadConfig, resolveCommonConfig } from '@pupero/config';
import { createLogger, type PuperoService } from '@pupero/http';
import { createWebServer } from './web-server.js';

describe('web server', () => {
  let dist: string;
  let web: PuperoService;
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'pupero-web-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Pupero</title><script src="/config.js"></script>');
    await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const common = resolveCommonConfig(loadConfig(commonConfigSchema, { GATEWAY_PUBLIC_URL: 'http://localhost:8000' }), 'x'.repeat(32));
    web = await createWebServer({ common, logger: createLogger({ name: 'web', level: 'silent' }), distDir: dist });
    await web.app.ready();
  });
  afterAll(async () => {
    await web?.app.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('serves the app, its assets and its API address', async () => {
    const index = await web.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toMatch(/<title>Pupero<\/title>/);
    expect(index.headers['content-security-policy']).toMatch(/connect-src 'self' http:\/\/localhost:8000/);
    expect((await web.app.inject({ method: 'GET', url: '/assets/app.js' })).body).toBe('console.log(1)');
    const config = await web.app.inject({ method: 'GET', url: '/config.js' });
    expect(config.body).toBe('window.PUPERO_CONFIG = {"apiUrl":"http://localhost:8000"};');
  });

  it('falls back to index.html for app routes but not for missing assets', async () => {
    const route = await web.app.inject({ method: 'GET', url: '/trades/123' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toMatch(/<title>Pupero/);
    const asset = await web.app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(asset.statusCode).toBe(404);
    expect(asset.json().error.code).toBe('not_found');
  });

  it('says how to build the app when it is missing', async () => {
    const common = resolveCommonConfig(loadConfig(commonConfigSchema, {}), 'x'.repeat(32));
    await expect(
      createWebServer({ common, logger: createLogger({ name: 'web', level: 'silent' }), distDir: '/nonexistent' }),
    ).rejects.toThrow(/npm run build:web/);
  });
});
