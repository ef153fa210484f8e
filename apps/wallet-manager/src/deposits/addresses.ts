import type { Db, Queryable } from '@pupero/db';
import type { HotWallet } from '../chain/hot-wallet.js';
import { RequestDeadline } from '../shared/deadline.js';
import { Mutex } from '../shared/mutex.js';
import { DepositStore, type DepositAddressRow } from './deposit-store.js';

/**
 * One subaddress of the hot wallet per user (label = user id), created on first request.
 * Creation is serialised: in this process by a mutex, across replicas on PostgreSQL by an
 * advisory lock, so a user never gets two addresses and two users never share an index.
 * The wallet calls run within the request's deadline; an address is only assigned while it is
 * still open (a subaddress created too late stays unassigned in the wallet, which is harmless).
 */
export class DepositAddresses {
  private readonly mutex = new Mutex();
  private readonly store: DepositStore;

  constructor(
    private readonly db: Db,
    private readonly wallet: () => HotWallet,
  ) {
    this.store = new DepositStore(db);
  }

  async forUser(userId: string, deadline = RequestDeadline.unlimited()): Promise<DepositAddressRow> {
    const existing = await this.store.addressOf(userId);
    if (existing) return existing;
    return this.mutex.run(() =>
      // PGlite belongs to this process (the mutex is enough) and must not be held in a transaction during RPC calls.
      this.db.kind === 'pglite'
        ? this.create(userId, this.db, deadline)
        : this.db.transaction(async (tx) => {
            await tx.query("SELECT pg_advisory_xact_lock(hashtext('pupero-wallet:subaddress'))");
            return this.create(userId, tx, deadline);
          }),
    );
  }

  private async create(userId: string, q: Queryable, deadline: RequestDeadline): Promise<DepositAddressRow> {
    const again = await this.store.addressOf(userId, q);
    if (again) return again;
    for (let attempt = 0; attempt < 5; attempt++) {
      const sub = await deadline.step('wallet', this.wallet().createSubaddress(userId));
      // A wallet restored from an old cache can hand out an index again: skip any that is taken.
      if (await this.store.isIndexTaken(sub.index, q)) continue;
      deadline.commit('wallet');
      const row = { userId, subaddressIndex: sub.index, address: sub.address };
      await this.store.insertAddress(row, q);
      return row;
    }
    throw new Error('the hot wallet keeps returning subaddresses that are already assigned');
  }
}
