import type { Db, Queryable } from '@pupero/db';
import { conflict, notFound } from '../shared/errors.js';
import type { Logger } from 'pino';
import type { Ledger } from '../clients/ledger.js';
import { insertAdminAction, listAdminActions, type AdminActionRecord } from './admin-action-store.js';
import {
  batchMembers,
  failQueuedWithdrawals,
  findBatch,
  findWithdrawal,
  lockWithdrawal,
  markHoldReleased,
  resetWithdrawalAttempts,
  startInvalidation,
  type StuckWithdrawal,
  type Withdrawal,
  withdrawalDetail,
} from './withdrawal-store.js';

export type { AdminAction, AdminActionRecord } from './admin-action-store.js';

/** What the user reads on a withdrawal an operator cancelled (the operator's reason is shown to them). */
export const operatorFailReason = (reason: string) => `Cancelled by Pupero support: ${reason} Your funds were returned to your balance.`;

/**
 * Operators' actions on stuck withdrawals (role admin), each in one database transaction with its
 * audit record (who, when, what, why, the status before and the outcome), like the login service's
 * security events. Failing never skips the proof the worker needs: a queued withdrawal was never
 * signed, so it fails at once; a signed one becomes `invalidating` and fails only once its
 * transaction is provably dead (see WithdrawalWorker.invalidate).
 */
export class WithdrawalAdmin {
  constructor(private readonly deps: { db: Db; ledger: Ledger; logger: Logger; kick: () => void }) {}

  async retry(id: string, actorId: string, reason: string): Promise<{ withdrawal: StuckWithdrawal; outcome: string }> {
    const result = await this.deps.db.transaction(async (tx) => {
      const w = await this.locked(id, tx);
      const batch = w.batchId ? await findBatch(tx, w.batchId) : undefined;
      let outcome: string;
      if (w.status === 'queued') outcome = 'attempts reset: signed again on the next run';
      else if (w.status === 'signed' && batch?.status === 'signed') outcome = 'relay failures reset: relayed again on the next run';
      else {
        throw conflict(
          'withdrawal_not_retryable',
          `Only a queued withdrawal, or a signed one whose transaction is still relayable, can be retried (this one is ${w.status}${batch ? `, its transaction ${batch.status}` : ''}).`,
          {
            status: w.status,
            transaction_status: batch?.status ?? null,
          },
        );
      }
      await resetWithdrawalAttempts(tx, w);
      await insertAdminAction(tx, { withdrawalId: id, action: 'retry', actorId, reason, statusBefore: w.status, outcome });
      return { outcome };
    });
    this.deps.logger.warn({ withdrawal_id: id, actor_id: actorId, reason, outcome: result.outcome }, 'operator retried a withdrawal');
    this.deps.kick();
    return { withdrawal: (await withdrawalDetail(this.deps.db, id))!, outcome: result.outcome };
  }

  async fail(id: string, actorId: string, reason: string): Promise<{ withdrawal: StuckWithdrawal; outcome: string }> {
    const result = await this.deps.db.transaction(async (tx) => {
      const w = await this.locked(id, tx);
      const batch = w.batchId ? await findBatch(tx, w.batchId) : undefined;
      let outcome: string;
      if (w.status === 'queued') {
        // Never signed: nothing can reach the chain, so it fails now and its hold is released.
        await failQueuedWithdrawals(tx, [id], operatorFailReason(reason));
        outcome = 'failed: it was never signed; hold released';
      } else if (w.status === 'signed' && batch?.status === 'signed') {
        const members = await batchMembers(tx, batch.id);
        await startInvalidation(tx, batch.id, operatorFailReason(reason));
        outcome =
          `invalidating: its signed transaction will never be relayed; it fails (with the ${members.length} withdrawal(s) of that transaction) ` +
          'once an input is spent by a replacement transaction, or is tracked as usual if it reaches the network after all';
      } else {
        throw conflict(
          'withdrawal_not_failable',
          `Only a queued withdrawal or a signed, not yet broadcast one can be failed (this one is ${w.status}${batch ? `, its transaction ${batch.status}` : ''}).`,
          {
            status: w.status,
            transaction_status: batch?.status ?? null,
          },
        );
      }
      await insertAdminAction(tx, { withdrawalId: id, action: 'fail', actorId, reason, statusBefore: w.status, outcome });
      return { outcome, failedNow: w.status === 'queued', userId: w.userId };
    });
    this.deps.logger.warn({ withdrawal_id: id, actor_id: actorId, reason, outcome: result.outcome }, 'operator failed a withdrawal');
    if (result.failedNow) {
      // Release now (the worker would too, but it may not run: e.g. MONERO_MODE=disabled). Idempotent.
      try {
        await this.deps.ledger.releaseWithdrawal({ withdrawalId: id, userId: result.userId });
        await markHoldReleased(this.deps.db, id);
      } catch (error) {
        this.deps.logger.warn({ err: error, withdrawal_id: id }, 'hold release after an operator’s fail failed; the worker retries it');
      }
    }
    this.deps.kick();
    return { withdrawal: (await withdrawalDetail(this.deps.db, id))!, outcome: result.outcome };
  }

  async actions(limit: number, withdrawalId?: string): Promise<AdminActionRecord[]> {
    return listAdminActions(this.deps.db, limit, withdrawalId);
  }

  private async locked(id: string, tx: Queryable): Promise<Withdrawal> {
    await lockWithdrawal(tx, id);
    const w = await findWithdrawal(tx, id);
    if (!w || w.status === 'requested' || w.status === 'rejected') throw notFound('withdrawal_not_found', 'No such withdrawal.');
    return w;
  }
}
