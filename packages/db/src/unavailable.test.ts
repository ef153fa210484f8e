import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from './pglite.js';
import { caught, ensurePgliteTemplate } from './testing.js';
import { openPostgres } from './postgres.js';
import { one } from './store-helpers.js';
import { startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.js';
import { isDatabaseUnavailableError } from './unavailable.js';

/**
 * The classifier against the real error objects `pg` and PGlite produce, on a throw-away cluster of
 * this test's own (it is stopped here; the machine's shared server is never touched).
 */
describe('isDatabaseUnavailableError', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  });
  afterAll(async () => cluster?.destroy());

  it('is false for the errors of a working database (bad SQL, constraint violations, plain bugs)', async () => {
    const client = new pg.Client(cluster.url);
    await client.connect();
    try {
      const syntax = await caught(() => client.query('SELEC 1'));
      expect((syntax as { code: string }).code).toBe('42601');
      expect(isDatabaseUnavailableError(syntax)).toBe(false);
      await client.query('CREATE TEMP TABLE t (id int PRIMARY KEY)');
      await client.query('INSERT INTO t VALUES (1)');
      const unique = await caught(() => client.query('INSERT INTO t VALUES (1)'));
      expect((unique as { code: string }).code).toBe('23505');
      expect(isDatabaseUnavailableError(unique)).toBe(false);
      const division = await caught(() => client.query('SELECT 1/0'));
      expect(isDatabaseUnavailableError(division)).toBe(false);
    } finally {
      await client.end();
    }
    expect(isDatabaseUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailableError(undefined)).toBe(false);
    expect(isDatabaseUnavailableError('ECONNREFUSED')).toBe(false);
  });

  it('is true for a backend terminated by pg_terminate_backend (57P01) and for the dead client after it', async () => {
    const victim = new pg.Client(cluster.url);
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const sleeping = caught(() => victim.query('SELECT pg_sleep(10)'));
    const admin = new pg.Client(cluster.url);
    await admin.connect();
    await new Promise((r) => setTimeout(r, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    const error = await sleeping;
    expect((error as { code?: string }).code).toBe('57P01');
    expect(isDatabaseUnavailableError(error)).toBe(true);
    const after = await caught(() => victim.query('SELECT 1'));
    expect(isDatabaseUnavailableError(after)).toBe(true);
    await victim.end().catch(() => undefined);
  });

  it('is true for a query cut by a server shutdown, a refused connection and the pool of a stopped server', async () => {
    const client = new pg.Client(cluster.url);
    client.on('error', () => undefined);
    await client.connect();
    const sleeping = caught(() => client.query('SELECT pg_sleep(10)'));
    await new Promise((r) => setTimeout(r, 200));
    await cluster.stop();
    try {
      const cut = await sleeping;
      expect(isDatabaseUnavailableError(cut), String(cut)).toBe(true);
      const refused = await caught(() => new pg.Client(cluster.url).connect());
      expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
      expect(isDatabaseUnavailableError(refused)).toBe(true);
      // "localhost" may resolve to ::1 and 127.0.0.1: Node then raises an AggregateError of both.
      const both = await caught(() => new pg.Client(cluster.url.replace('127.0.0.1', 'localhost')).connect());
      expect(isDatabaseUnavailableError(both), String(both)).toBe(true);
    } finally {
      await cluster.start();
    }
    await client.end().catch(() => undefined);
  });

  it('is true for the pool connect timeout (a server that accepts and never answers) and the pool answers within it', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/x`, connectionTimeoutMillis: 300 });
    try {
      const started = Date.now();
      const error = await caught(() => pool.query('SELECT 1'));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(isDatabaseUnavailableError(error), String(error)).toBe(true);
    } finally {
      await pool.end().catch(() => undefined);
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('openPostgres bounds the wait for a connection: a query during an outage fails in seconds, not for the whole outage', async () => {
    const db = await openPostgres(cluster.url, { max: 2, connectTimeoutMs: 1000 });
    try {
      await cluster.stop();
      const started = Date.now();
      const error = await caught(() => db.query('SELECT 1'));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(isDatabaseUnavailableError(error), String(error)).toBe(true);
      await cluster.start();
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await cluster.start().catch(() => undefined);
      await db.close();
    }
  });

  it('a transaction whose backend is terminated between two queries fails as unavailable, without an uncaught error, and the pool recovers', async () => {
    const db = await openPostgres(cluster.url, { max: 2, connectTimeoutMs: 1000 });
    const admin = new pg.Client(cluster.url);
    await admin.connect();
    try {
      const error = await caught(() =>
        db.transaction(async (tx) => {
          const pid = (await one<{ pid: number }>(tx, 'SELECT pg_backend_pid() AS pid')).pid;
          // The server ends this connection while no query is running on it (an unhandled
          // 'error' event on the checked-out client would crash the process here).
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await new Promise((r) => setTimeout(r, 300));
          await tx.query('SELECT 1');
        }),
      );
      expect(isDatabaseUnavailableError(error), String(error)).toBe(true);
      // The dead connection was discarded, not pooled: both pool slots work.
      const results = await Promise.all([db.transaction((tx) => tx.query('SELECT 1 AS one')), db.query('SELECT 1 AS one')]);
      expect(results.map((r) => r.rowCount)).toEqual([1, 1]);
    } finally {
      await admin.end();
      await db.close();
    }
  });

  it('covers the SQLSTATEs a restart or failover sends that are hard to provoke on cue', () => {
    // 57P03 "the database system is starting up"/"shutting down", 57P02 crash shutdown, class 08.
    for (const code of ['57P02', '57P03', '08000', '08001', '08003', '08006', '08P01']) {
      expect(isDatabaseUnavailableError(Object.assign(new Error('x'), { code })), code).toBe(true);
    }
    // 57014 (statement timeout / cancel) is a query problem, not an outage.
    expect(isDatabaseUnavailableError(Object.assign(new Error('canceling statement'), { code: '57014' }))).toBe(false);
    expect(isDatabaseUnavailableError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
  });

  it('is true for PGlite used after close (a request racing shutdown)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pupero-closed-pglite-'));
    await cp(await ensurePgliteTemplate(), dir, { recursive: true });
    const db = await openPglite(dir);
    await db.close();
    const error = await caught(() => db.query('SELECT 1'));
    await rm(dir, { recursive: true, force: true });
    expect(isDatabaseUnavailableError(error), String(error)).toBe(true);
  });
});
