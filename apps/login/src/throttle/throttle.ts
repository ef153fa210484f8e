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

/** A counted attempt; call succeeded() when it turned out right. */
export interface Attempt {
  /** Forgives the attempt: an account's counter is reset, an address's is decremented. */
  succeeded(): Promise<void>;
}

/**
 * Throttling state lives in the database so every replica counts the same failures. Every attempt
 * is counted as a failure *before* the password or code is checked, in one row-locked transaction,
 * and forgiven if it succeeds: so a burst of parallel guesses cannot slip past the limit while the
 * first ones are still being verified. Locked targets get 429 before any work is done.
 */
export class Throttle {
  constructor(
    private readonly db: Db,
    private readonly policies: Record<ThrottleScope, ThrottlePolicy>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts an attempt against every target, or throws 429 rate_limited (with Retry-After) if any is locked. */
  async attempt(targets: ThrottleTarget[]): Promise<Attempt> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const states: ThrottleState[] = [];
      let worst: { seconds: number; scope: ThrottleScope } | undefined;
      for (const target of targets) {
        const state = await this.lockRow(tx, target);
        states.push(state);
        const seconds = secondsLocked(state, now);
        if (seconds > 0 && (!worst || seconds > worst.seconds)) worst = { seconds, scope: target.scope };
      }
      // Refused attempts are not counted: a lock does not grow while it is being hammered.
      if (worst) throw tooManyRequests(`${MESSAGES[worst.scope]}; try again in ${worst.seconds} s.`, worst.seconds);
      for (const [i, target] of targets.entries()) await this.save(tx, target, afterFailure(states[i], this.policies[target.scope], now));
    });
    return { succeeded: () => this.forgive(targets) };
  }

  private async lockRow(tx: Queryable, target: ThrottleTarget): Promise<ThrottleState> {
    await tx.query('INSERT INTO login.throttle (scope, key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [target.scope, target.key]);
    const { rows } = await tx.query<ThrottleRow>(
      'SELECT failures, window_started_at, last_failure_at, lockouts, locked_until FROM login.throttle WHERE scope = $1 AND key = $2 FOR UPDATE',
      [target.scope, target.key],
    );
    return toState(rows[0]);
  }

  private async save(tx: Queryable, target: ThrottleTarget, next: ThrottleState): Promise<void> {
    await tx.query(
      `UPDATE login.throttle SET failures = $3, window_started_at = $4, last_failure_at = $5, lockouts = $6, locked_until = $7
        WHERE scope = $1 AND key = $2`,
      [target.scope, target.key, next.failures, next.windowStartedAt, next.lastFailureAt, next.lockouts, next.lockedUntil],
    );
  }

  /**
   * An account that proved itself starts afresh; an address only gets its one attempt back (other
   * people behind it may still be guessing, and one good login must not wipe their failures).
   */
  private async forgive(targets: ThrottleTarget[]): Promise<void> {
    for (const target of targets) {
      if (target.scope.endsWith(':account')) {
        await this.db.query('DELETE FROM login.throttle WHERE scope = $1 AND key = $2', [target.scope, target.key]);
      } else {
        await this.db.query('UPDATE login.throttle SET failures = greatest(failures - 1, 0) WHERE scope = $1 AND key = $2', [target.scope, target.key]);
      }
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
