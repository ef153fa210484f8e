/** The largest value a PostgreSQL `bigint` column holds. */
export const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;

/**
 * A decimal string as a bigint that fits a PostgreSQL `bigint` (e.g. a paging cursor from a
 * client), or undefined: a larger value would make the query fail with "out of range".
 */
export function parsePgBigint(text: string): bigint | undefined {
  if (!/^\d{1,19}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= PG_BIGINT_MAX ? value : undefined;
}
