import type { Queryable } from '@pupero/db';
import { EMPTY_STATE, type ThrottleState } from './policy.js';

/** One counter: a scope ("login:account", "login:ip", ...) and the key it counts for. */
export interface ThrottleKey {
  scope: string;
  key: string;
}

interface ThrottleRow {
  failures: number;
  window_started_at: Date | null;
  last_failure_at: Date | null;
  lockouts: number;
  locked_until: Date | null;
}

const throttleStateFromRow = (row: ThrottleRow): ThrottleState => ({
  failures: row.failures,
  windowStartedAt: row.window_started_at,
  lastFailureAt: row.last_failure_at,
  lockouts: row.lockouts,
  lockedUntil: row.locked_until,
});

/** The counter's state, its row created if new and locked until the end of the transaction `tx`. */
export async function lockThrottleState(tx: Queryable, target: ThrottleKey): Promise<ThrottleState> {
  await tx.query('INSERT INTO login.throttle (scope, key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [target.scope, target.key]);
  const { rows } = await tx.query<ThrottleRow>(
    'SELECT failures, window_started_at, last_failure_at, lockouts, locked_until FROM login.throttle WHERE scope = $1 AND key = $2 FOR UPDATE',
    [target.scope, target.key],
  );
  return rows[0] ? throttleStateFromRow(rows[0]) : EMPTY_STATE;
}

export async function saveThrottleState(tx: Queryable, target: ThrottleKey, next: ThrottleState): Promise<void> {
  await tx.query(
    `UPDATE login.throttle SET failures = $3, window_started_at = $4, last_failure_at = $5, lockouts = $6, locked_until = $7
      WHERE scope = $1 AND key = $2`,
    [target.scope, target.key, next.failures, next.windowStartedAt, next.lastFailureAt, next.lockouts, next.lockedUntil],
  );
}

export async function deleteThrottleState(q: Queryable, target: ThrottleKey): Promise<void> {
  await q.query('DELETE FROM login.throttle WHERE scope = $1 AND key = $2', [target.scope, target.key]);
}

export async function forgiveOneFailure(q: Queryable, target: ThrottleKey): Promise<void> {
  await q.query('UPDATE login.throttle SET failures = greatest(failures - 1, 0) WHERE scope = $1 AND key = $2', [target.scope, target.key]);
}

/** Deletes counters nobody failed on for `quietSeconds` and that are not locked. */
export async function sweepThrottleStates(q: Queryable, quietSeconds: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM login.throttle
      WHERE (locked_until IS NULL OR locked_until < now())
        AND (last_failure_at IS NULL OR last_failure_at < now() - make_interval(secs => $1))`,
    [quietSeconds],
  );
  return rowCount;
}
