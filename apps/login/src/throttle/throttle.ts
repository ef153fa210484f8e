import type { Db } from '@pupero/db';
import { tooManyRequests } from '@pupero/http';
import { deleteThrottleState, forgiveOneFailure, lockThrottleState, saveThrottleState, sweepThrottleStates } from './throttle-store.js';
import {
  afterDelayedFailure,
  afterFailure,
  delayBeforeAttemptMs,
  LOCKOUT_MEMORY_SECONDS,
  secondsLocked,
  type DelayPolicy,
  type ThrottlePolicy,
  type ThrottleState,
} from './policy.js';

/**
 * Counters that lock (429 until the lock ends): failed logins per (account, client address) and
 * per address, wrong 2FA codes per account and per address, registrations per address.
 */
export type LockScope = 'login:account-ip' | 'login:ip' | '2fa:account' | '2fa:ip' | 'register:ip';
/**
 * Counters that only slow down: failed logins per account from anywhere. A lock here would let
 * anyone lock the owner out (a seller keeping a buyer from marking a trade paid).
 */
export type DelayScope = 'login:account';
/** What is counted. */
export type ThrottleScope = LockScope | DelayScope;

const DELAY_SCOPES: ReadonlySet<ThrottleScope> = new Set<DelayScope>(['login:account']);
const isDelayScope = (scope: ThrottleScope): scope is DelayScope => DELAY_SCOPES.has(scope);

export interface ThrottleTarget {
  scope: ThrottleScope;
  /**
   * login:account: the lower-cased username; login:account-ip: that and ipThrottleKey(ip);
   * 2fa:account: the user id; ip scopes: ipThrottleKey(ip).
   */
  key: string;
}

const MESSAGES: Record<LockScope, string> = {
  'login:account-ip': 'Too many failed logins for this account from your network',
  'login:ip': 'Too many failed logins from your network',
  '2fa:account': 'Too many wrong two-factor codes for this account',
  '2fa:ip': 'Too many wrong two-factor codes from your network',
  'register:ip': 'Too many new accounts from your network',
};

/**
 * What a right answer gives back: an account-and-address pair (it proved itself there) and a
 * 2FA account counter start afresh; shared counters (an address, an account attacked from
 * everywhere) only get that one attempt back, so one good login cannot wipe others' failures.
 */
const FORGIVE: Record<ThrottleScope, 'reset' | 'one'> = {
  'login:account-ip': 'reset',
  'login:account': 'one',
  'login:ip': 'one',
  '2fa:account': 'reset',
  '2fa:ip': 'one',
  'register:ip': 'one',
};

export interface ThrottlePolicies {
  locks: Record<LockScope, ThrottlePolicy>;
  delays: Record<DelayScope, DelayPolicy>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A counted attempt; call succeeded() when it turned out right. */
export interface Attempt {
  /** Forgives the attempt (see FORGIVE). */
  succeeded(): Promise<void>;
  /** How long the attempt was held back by a delay-only counter before it went on (ms). */
  delayedMs: number;
}

/**
 * Throttling state lives in the database so every replica counts the same failures. Every attempt
 * is counted as a failure *before* the password or code is checked, in one row-locked transaction,
 * and forgiven if it succeeds: so a burst of parallel guesses cannot slip past the limit while the
 * first ones are still being verified. Locked targets get 429 before any work is done; delay-only
 * targets never refuse, they hold the attempt back (after the transaction) before it is checked.
 */
export class Throttle {
  constructor(
    private readonly db: Db,
    private readonly policies: ThrottlePolicies,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Counts an attempt against every target, or throws 429 rate_limited (with Retry-After) if any
   * lock scope is locked; then waits what the delay scopes ask for.
   */
  async attempt(targets: ThrottleTarget[]): Promise<Attempt> {
    const now = this.now();
    const delayMs = await this.db.transaction(async (tx) => {
      const locked: Array<{ target: ThrottleTarget; state: ThrottleState }> = [];
      let worst: { seconds: number; scope: LockScope } | undefined;
      let delay = 0;
      for (const target of targets) {
        const state = await lockThrottleState(tx, target);
        locked.push({ target, state });
        if (isDelayScope(target.scope)) {
          delay = Math.max(delay, delayBeforeAttemptMs(state, this.policies.delays[target.scope], now));
          continue;
        }
        const seconds = secondsLocked(state, now);
        if (seconds > 0 && (!worst || seconds > worst.seconds)) worst = { seconds, scope: target.scope };
      }
      // Refused attempts are not counted: a lock does not grow while it is being hammered.
      if (worst) throw tooManyRequests(`${MESSAGES[worst.scope]}; try again in ${worst.seconds} s.`, worst.seconds);
      for (const { target, state } of locked) {
        const { scope, key } = target;
        const next = isDelayScope(scope)
          ? afterDelayedFailure(state, this.policies.delays[scope], now)
          : afterFailure(state, this.policies.locks[scope], now);
        await saveThrottleState(tx, { scope, key }, next);
      }
      return delay;
    });
    if (delayMs > 0) await sleep(delayMs);
    return { succeeded: () => this.forgive(targets), delayedMs: delayMs };
  }

  private async forgive(targets: ThrottleTarget[]): Promise<void> {
    for (const target of targets) {
      if (FORGIVE[target.scope] === 'reset') {
        await deleteThrottleState(this.db, target);
      } else {
        await forgiveOneFailure(this.db, target);
      }
    }
  }

  /** Deletes counters nobody has failed on for a day and that are not locked. */
  async sweep(): Promise<number> {
    return sweepThrottleStates(this.db, LOCKOUT_MEMORY_SECONDS);
  }
}
