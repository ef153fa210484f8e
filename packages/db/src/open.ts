import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export interface OpenDbOptions {
  /** When set, a PostgreSQL server is used; otherwise the embedded PGlite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  applicationName?: string;
}

export async function openDatabase(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, { applicationName: options.applicationName });
  const dir = join(options.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPglite(dir);
}
