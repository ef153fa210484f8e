/**
 * Recognises the errors that mean "the database is down or unreachable right now" (as opposed to a
 * bug, a constraint violation or bad SQL), so the HTTP layer can answer 503 dependency_unavailable
 * instead of 500. One place for both drivers: `pg` (PostgreSQL) and PGlite.
 */

/** SQLSTATEs of an unavailable server: class 08 (connection exception) and 57P01–57P03. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** Socket-level failures while connecting to or talking with the server. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Messages `pg` raises without a code: the pool's connect timeout, a connection the server closed
 * under a query, a client used after the connection ended, and PGlite used after close.
 */
const UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect$/i,
  /^Connection terminated/i,
  /^Client has encountered a connection error and is not queryable$/i,
  /^Client was closed and is not queryable$/i,
  /^Cannot use a pool after calling end on the pool$/i,
  /^PGlite is closed$/i,
];

export function isDatabaseUnavailableError(error: unknown): boolean {
  return check(error, 0);
}

function check(error: unknown, depth: number): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (/^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (UNAVAILABLE_ERRNOS.has(code)) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Node reports "connect to localhost" (::1 and 127.0.0.1) as an AggregateError of both attempts.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => check(e, depth + 1))) return true;
  return check(cause, depth + 1);
}
