/**
 * One page of a list paginated by `seq`: the store was asked for `limit + 1` rows, so a row beyond
 * the page means there is a next page, and its cursor is the seq of the page's last row.
 */
export function keysetPage<Row extends { seq: bigint }>(rows: readonly Row[], limit: number): { page: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? (page.at(-1)?.seq.toString() ?? null) : null };
}
