import pg from 'pg';

/**
 * Test-only workaround, until packages/db handles pool errors: the throw-away PostgreSQL test
 * database is dropped WITH (FORCE) right after pool.end(), which does not wait for idle clients to
 * finish disconnecting. The server then kills them (57P01), the pool re-emits that as 'error', and
 * with no listener on the pool the test run fails with an unhandled error. Only that error, only
 * on a pool nobody listens to, is ignored here; anything else still surfaces.
 * (Fix needed in packages/db/src/postgres.ts: pool.on('error', ...) — see the README.)
 */
const emit = pg.Pool.prototype.emit;
pg.Pool.prototype.emit = function (this: pg.Pool, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'error' && this.listenerCount('error') === 0 && (args[0] as { code?: string } | undefined)?.code === '57P01') return true;
  return emit.call(this, event, ...args);
};
