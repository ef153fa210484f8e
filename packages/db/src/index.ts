export type { Db, DbKind, Queryable, QueryResult, Row } from './types.js';
export { openPglite } from './pglite.js';
export { openPostgres, redactUrl } from './postgres.js';
export { openDatabase } from './open.js';
export { migrate, type Migration } from './migrate.js';
export { acquireDataDirLock, DatabaseInUseError, lockFileOf } from './data-dir-lock.js';
export { parsePgBigint, PG_BIGINT_MAX } from './bigint.js';
export { isDatabaseUnavailableError } from './unavailable.js';
export {
  atomically,
  inTransaction,
  isCheckViolation,
  isUniqueViolation,
  iso,
  isoOrNull,
  maybeOne,
  one,
  placeholders,
  RowCountError,
  sqlState,
} from './store-helpers.js';
