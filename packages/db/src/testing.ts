import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

/**
 * A fresh, empty database for one test file. PUPERO_TEST_DB=postgres (with DATABASE_URL) creates a
 * throw-away database on that server; otherwise a PGlite data directory copied from a template
 * (initdb once per machine, ~5 s; each copy opens in ~1 s).
 */
export async function createTestDb(): Promise<Db> {
  if (testDbKind() === 'postgres') return createPostgresTestDb();
  return createPgliteTestDb();
}

export function testDbKind(): 'pglite' | 'postgres' {
  return process.env.PUPERO_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

const TEMPLATE_DIR = join(tmpdir(), 'pupero-pglite-template-0.5.16');

export async function ensurePgliteTemplate(): Promise<string> {
  const marker = join(TEMPLATE_DIR, 'PG_VERSION');
  try {
    await stat(marker);
    return TEMPLATE_DIR;
  } catch {
    // Built in a temporary sibling and renamed, so parallel workers never see half a template.
    const building = `${TEMPLATE_DIR}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const db = await openPglite(building);
    await db.close();
    try {
      await cp(building, TEMPLATE_DIR, { recursive: true, errorOnExist: true, force: false });
    } catch {
      /* another worker won the race */
    }
    await rm(building, { recursive: true, force: true });
    return TEMPLATE_DIR;
  }
}

async function createPgliteTestDb(): Promise<Db> {
  const template = await ensurePgliteTemplate();
  const dir = await mkdtemp(join(tmpdir(), 'pupero-test-db-'));
  await cp(template, dir, { recursive: true });
  const db = await openPglite(dir);
  return {
    ...db,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away database on the PostgreSQL server of `adminUrl` (trust or password auth). */
export async function createThrowawayPostgres(adminUrl: string, prefix = 'pupero_t'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

async function createPostgresTestDb(): Promise<Db> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('PUPERO_TEST_DB=postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const database = await createThrowawayPostgres(adminUrl);
  const db = await openPostgres(database.url, { max: 20, applicationName: 'pupero-test' });
  return {
    ...db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

/** The error `fn` rejects with (to look at the real error objects of pg and PGlite); fails the test when it resolves. */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

export { startThrowawayCluster, findPostgresBin, type ThrowawayCluster } from './throwaway-cluster.js';
