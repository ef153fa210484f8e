import type { Db, Queryable } from '@pupero/db';
import { AppError } from '@pupero/http';
import type { Ledger } from '../clients/ledger.js';
import { KeyedMutex, Semaphore } from '../shared/mutex.js';
import { findWithdrawal, lockWithdrawal, markWithdrawalQueued, markWithdrawalRejected, type Withdrawal } from './withdrawal-store.js';

/**
 * Places a withdrawal's ledger hold and records the outcome on its row, ONE caller at a time per
 * withdrawal: the request, a retry with the same Idempotency-Key and the worker's completion of an
 * interrupted request all come through here. Without this, a request told `insufficient_funds`
 * could mark (formerly: delete) the row while a retry's hold had just succeeded, leaving a hold no
 * row accounts for. Serialised in this process by a keyed mutex and, on PostgreSQL (replicas), by
 * a row lock held across the ledger call. PGlite belongs to one process (the mutex is enough) and
 * must not be held in a transaction during a call to another service that may share it.
 * On PostgreSQL each lock holds a pooled connection during the ledger call; in the all-in-one
 * process the Transactions service draws from the same pool (10), so at most 4 such transactions
 * run at once here: the ledger always finds a free connection (no pool deadlock).
 */
export class WithdrawalHolds {
  private readonly mutex = new KeyedMutex();
  private readonly connections = new Semaphore(4);

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
  ) {}

  /** The row afterwards: `queued` (hold placed), `rejected` (the ledger refused; no hold) or whatever it already was. */
  async place(id: string): Promise<Withdrawal> {
    return this.mutex.run(id, () =>
      this.db.kind === 'pglite'
        ? this.placeLocked(id, this.db)
        : this.connections.run(() =>
            this.db.transaction(async (tx) => {
              await lockWithdrawal(tx, id);
              return this.placeLocked(id, tx);
            }),
          ),
    );
  }

  private async placeLocked(id: string, q: Queryable): Promise<Withdrawal> {
    const w = await findWithdrawal(q, id);
    if (!w) throw new Error(`withdrawal ${id} vanished`);
    if (w.status !== 'requested') return w;
    try {
      await this.ledger.holdWithdrawal({ withdrawalId: w.id, userId: w.userId, amount: w.amount, fee: w.fee });
    } catch (error) {
      // 409 = the ledger refused (insufficient funds): it placed nothing. Anything else (outage,
      // timeout) may or may not have placed the hold: the row stays `requested` and is finished later.
      if (!(error instanceof AppError && error.statusCode === 409)) throw error;
      await markWithdrawalRejected(q, w.id, error.code);
      return (await findWithdrawal(q, id))!;
    }
    await markWithdrawalQueued(q, w.id);
    return (await findWithdrawal(q, id))!;
  }
}
