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

export async function startWebServer(
  common: CommonConfig,
  distDir: string,
  port: number,
): Promise<{ url: string; service: PuperoService }> {
  const logger = createLogger({ name: 'pupero-e2e-web', level: 'warn' });
  const service = await createWebServer({ common, logger, distDir });
  await service.app.listen({ host: '127.0.0.1', port });
  return { url: `http://127.0.0.1:${port}`, service };
}
