import type { Db, Queryable } from '@pupero/db';
import { conflict, notFound } from '@pupero/http';
import type { Logger } from 'pino';
import type { Ledger } from '../clients/ledger.js';
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

export type AdminAction = 'retry' | 'fail';

export interface AdminActionRecord {
  id: string;
  withdrawalId: string;
  action: AdminAction;
  actorId: string;
  reason: string;
  statusBefore: string;
  outcome: string;
  createdAt: Date;
}

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
      await this.record(tx, { withdrawalId: id, action: 'retry', actorId, reason, statusBefore: w.status, outcome });
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
      await this.record(tx, { withdrawalId: id, action: 'fail', actorId, reason, statusBefore: w.status, outcome });
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
    const { rows } = await this.deps.db.query<{
      id: bigint | string;
      withdrawal_id: string;
      action: AdminAction;
      actor_id: string;
      reason: string;
      status_before: string;
      outcome: string;
      created_at: Date | string;
    }>(
      `SELECT id, withdrawal_id, action, actor_id, reason, status_before, outcome, created_at FROM wallet.withdrawal_admin_actions
       WHERE ($1::text IS NULL OR withdrawal_id = $1) ORDER BY id DESC LIMIT $2`,
      [withdrawalId ?? null, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      withdrawalId: r.withdrawal_id,
      action: r.action,
      actorId: r.actor_id,
      reason: r.reason,
      statusBefore: r.status_before,
      outcome: r.outcome,
      createdAt: new Date(r.created_at),
    }));
  }

  private async locked(id: string, tx: Queryable): Promise<Withdrawal> {
    await lockWithdrawal(tx, id);
    const w = await findWithdrawal(tx, id);
    if (!w || w.status === 'requested' || w.status === 'rejected') throw notFound('withdrawal_not_found', 'No such withdrawal.');
    return w;
  }

  private async record(tx: Queryable, a: Omit<AdminActionRecord, 'id' | 'createdAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO wallet.withdrawal_admin_actions (withdrawal_id, action, actor_id, reason, status_before, outcome)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.withdrawalId, a.action, a.actorId, a.reason, a.statusBefore, a.outcome],
    );
  }
}
