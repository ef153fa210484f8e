import type { Db, Queryable, Row } from './types.js';

/** SQLSTATE of a database error (node-postgres and PGlite both expose `code`). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// PGlite does not always fill `constraint`; its message names the constraint, so both are searched.
function constraintOf(error: unknown): string {
  const e = error as { constraint?: unknown; message?: unknown } | null;
  return `${typeof e?.constraint === 'string' ? e.constraint : ''} ${typeof e?.message === 'string' ? e.message : ''}`;
}

/** A unique violation (23505), of `constraint` when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return sqlState(error) === '23505' && (!constraint || constraintOf(error).includes(constraint));
}

/** A check violation (23514) of `constraint`. */
export function isCheckViolation(error: unknown, constraint: string): boolean {
  return sqlState(error) === '23514' && constraintOf(error).includes(constraint);
}

/** A query that must return exactly one row returned another number of rows (a bug, not bad input). */
export class RowCountError extends Error {
  constructor(
    readonly sql: string,
    readonly count: number,
  ) {
    super(`expected exactly one row, got ${count}: ${sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`);
    this.name = 'RowCountError';
  }
}

/** The single row of a query that must return exactly one (an INSERT … RETURNING, a lookup by a known key). */
export async function one<T = Row>(q: Queryable, sql: string, params?: readonly unknown[]): Promise<T> {
  const { rows } = await q.query<T>(sql, params);
  const [row] = rows;
  if (rows.length !== 1 || row === undefined) throw new RowCountError(sql, rows.length);
  return row;
}

/** The row of a query that returns at most one, or null; more than one is a bug. */
export async function maybeOne<T = Row>(q: Queryable, sql: string, params?: readonly unknown[]): Promise<T | null> {
  const { rows } = await q.query<T>(sql, params);
  if (rows.length > 1) throw new RowCountError(sql, rows.length);
  return rows[0] ?? null;
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * One database transaction, retried (a few times, with jitter) when PostgreSQL aborts it for a
 * deadlock or a serialization failure; any other error is thrown at once. fn must only touch the
 * database: it may run again.
 */
export async function inTransaction<T>(db: Db, fn: (tx: Queryable) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= attempts || !state || !RETRYABLE.has(state)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

function isDb(q: Queryable): q is Db {
  return typeof (q as Partial<Db>).transaction === 'function';
}

/**
 * Runs a store's several statements atomically: in a new (retried) transaction when given the
 * database, or as part of the caller's transaction when given one (the caller's commit decides).
 */
export function atomically<T>(q: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return isDb(q) ? inTransaction(q, fn) : fn(q);
}

/** "$1, $2, ..." starting after `offset` existing parameters. */
export function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(', ');
}

/** A timestamp column (a Date from PostgreSQL, a Date or a string from PGlite) as ISO 8601. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}
