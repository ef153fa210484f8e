import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite } from './pglite.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export interface OpenDbOptions {
  /** When set, a PostgreSQL server is used; otherwise the embedded PGlite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  applicationName?: string;
  /** Who holds the embedded database (shown to a second process that tries to open it). */
  owner?: string;
}

export async function openDatabase(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, { applicationName: options.applicationName });
  // PGlite does not stop a second process from opening the same files: this lock does.
  const lock = acquireDataDirLock(options.dataDir, options.owner ?? options.applicationName ?? 'a Pupero process');
  const dir = join(options.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  let db: Db;
  try {
    db = await openPglite(dir);
  } catch (error) {
    lock.release();
    throw error;
  }
  return {
    ...db,
    async close() {
      await db.close();
      lock.release();
    },
  };
}
