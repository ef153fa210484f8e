import type { Db, Queryable } from '@pupero/db';
import { tooManyRequests } from '@pupero/http';
import { afterFailure, EMPTY_STATE, LOCKOUT_MEMORY_SECONDS, secondsLocked, type ThrottlePolicy, type ThrottleState } from './policy.js';

/** What is counted: failed logins and wrong 2FA codes, each per account and per client address. */
export type ThrottleScope = 'login:account' | 'login:ip' | '2fa:account' | '2fa:ip';

export interface ThrottleTarget {
  scope: ThrottleScope;
  /** Account scopes: the lower-cased username (login) or user id (2fa); ip scopes: ipThrottleKey(ip). */
  key: string;
}

const MESSAGES: Record<ThrottleScope, string> = {
  'login:account': 'Too many failed logins for this account',
  'login:ip': 'Too many failed logins from your network',
  '2fa:account': 'Too many wrong two-factor codes for this account',
  '2fa:ip': 'Too many wrong two-factor codes from your network',
};

interface ThrottleRow {
  failures: number;
  window_started_at: Date | null;
  last_failure_at: Date | null;
  lockouts: number;
  locked_until: Date | null;
}

const toState = (row: ThrottleRow | undefined): ThrottleState =>
  row
    ? { failures: row.failures, windowStartedAt: row.window_started_at, lastFailureAt: row.last_failure_at, lockouts: row.lockouts, lockedUntil: row.locked_until }
    : EMPTY_STATE;

/**
 * Throttling state lives in the database so every replica counts the same failures. Locked
 * targets are refused before any password or code is checked (no work, no oracle).
 */
export class Throttle {
  constructor(
    private readonly db: Db,
    private readonly policies: Record<ThrottleScope, ThrottlePolicy>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Throws 429 rate_limited with Retry-After when any target is locked. */
  async check(targets: ThrottleTarget[]): Promise<void> {
    const now = this.now();
    let worst: { seconds: number; scope: ThrottleScope } | undefined;
    for (const target of targets) {
      const { rows } = await this.db.query<ThrottleRow>(
        'SELECT failures, window_started_at, last_failure_at, lockouts, locked_until FROM login.throttle WHERE scope = $1 AND key = $2',
        [target.scope, target.key],
      );
      const seconds = secondsLocked(toState(rows[0]), now);
      if (seconds > 0 && (!worst || seconds > worst.seconds)) worst = { seconds, scope: target.scope };
    }
    if (worst) throw tooManyRequests(`${MESSAGES[worst.scope]}; try again in ${worst.seconds} s.`, worst.seconds);
  }

  /** Counts one failure against every target (row-locked, so concurrent failures all count). */
  async fail(targets: ThrottleTarget[]): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      for (const target of targets) await this.failOne(tx, target, now);
    });
  }

  private async failOne(tx: Queryable, target: ThrottleTarget, now: Date): Promise<void> {
    await tx.query('INSERT INTO login.throttle (scope, key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [target.scope, target.key]);
    const { rows } = await tx.query<ThrottleRow>(
      'SELECT failures, window_started_at, last_failure_at, lockouts, locked_until FROM login.throttle WHERE scope = $1 AND key = $2 FOR UPDATE',
      [target.scope, target.key],
    );
    const next = afterFailure(toState(rows[0]), this.policies[target.scope], now);
    await tx.query(
      `UPDATE login.throttle SET failures = $3, window_started_at = $4, last_failure_at = $5, lockouts = $6, locked_until = $7
        WHERE scope = $1 AND key = $2`,
      [target.scope, target.key, next.failures, next.windowStartedAt, next.lastFailureAt, next.lockouts, next.lockedUntil],
    );
  }

  /** Forgets the failures of targets (an account after a successful login). */
  async clear(targets: ThrottleTarget[]): Promise<void> {
    for (const target of targets) {
      await this.db.query('DELETE FROM login.throttle WHERE scope = $1 AND key = $2', [target.scope, target.key]);
    }
  }

  /** Deletes counters nobody has failed on for a day and that are not locked. */
  async sweep(): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM login.throttle
        WHERE (locked_until IS NULL OR locked_until < now())
          AND (last_failure_at IS NULL OR last_failure_at < now() - make_interval(secs => $1))`,
      [LOCKOUT_MEMORY_SECONDS],
    );
    return rowCount;
  }
}
