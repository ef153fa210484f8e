import pg from 'pg';
import type { Db, Queryable, QueryResult, Row } from './types.js';
import { isDatabaseUnavailableError } from './unavailable.js';

const typeParsers = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === 20) return (value: string) => BigInt(value); // int8
    return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  },
};

function prepare(params: readonly unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
}

export interface PostgresOptions {
  max?: number;
  applicationName?: string;
  /**
   * How long a query waits for a connection (a new one, or a free one from a full pool) before it
   * fails as "database unavailable". Bounded so a request during an outage answers 503 in seconds
   * instead of hanging until the server is back. Default 5000 ms.
   */
  connectTimeoutMs?: number;
  /** Told when an idle connection fails (it is discarded either way). */
  onIdleError?: (error: Error) => void;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'pupero',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    types: typeParsers,
  });
  // An idle client dropped by the server (restart, failover, DROP DATABASE) must not crash the
  // process: the pool discards it and the next query opens a new connection.
  pool.on('error', (error) => {
    options.onIdleError?.(error);
  });
  // Fail at start-up with a clear message rather than at the first request.
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL at DATABASE_URL (${redactUrl(url)}): ${(error as Error).message}`, { cause: error });
  }
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] = []) => {
    const result = await client.query(sql, prepare(params));
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 } satisfies QueryResult<T>;
  };
  return {
    kind: 'postgres',
    query: <T = Row>(sql: string, params?: readonly unknown[]) => run<T>(pool, sql, params),
    // Without parameters pg uses the simple protocol, which runs several statements.
    exec: async (sql) => void (await pool.query(sql)),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // pg-pool listens for errors only on idle clients: a server that goes away while this one is
      // checked out but between queries (e.g. during a call to another service) would otherwise
      // emit an unhandled 'error' and crash the process. Note it, and discard the client at release.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
        options.onIdleError?.(error);
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: <R = Row>(sql: string, params?: readonly unknown[]) => run<R>(client, sql, params),
          exec: async (sql: string) => void (await client.query(sql)),
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (isDatabaseUnavailableError(error)) broken ??= error as Error;
        else await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        // Releasing with an error destroys the connection instead of pooling a dead one.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
