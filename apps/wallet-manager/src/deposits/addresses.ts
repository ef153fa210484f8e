import type { Db, Queryable } from '@pupero/db';
import type { HotWallet } from '../chain/hot-wallet.js';
import { RequestDeadline } from '../shared/deadline.js';
import { Mutex } from '../shared/mutex.js';
import {
  type DepositAddress,
  findDepositAddress,
  insertDepositAddress,
  isSubaddressTaken,
  lockSubaddressAllocation,
} from './deposit-store.js';

/**
 * One subaddress of the hot wallet per user (label = user id), created on first request.
 * Creation is serialised: in this process by a mutex, across replicas on PostgreSQL by an
 * advisory lock, so a user never gets two addresses and two users never share an index.
 * The wallet calls run within the request's deadline; an address is only assigned while it is
 * still open (a subaddress created too late stays unassigned in the wallet, which is harmless).
 */
export class DepositAddresses {
  private readonly mutex = new Mutex();

  constructor(
    private readonly db: Db,
    private readonly wallet: () => HotWallet,
  ) {}

  async forUser(userId: string, deadline = RequestDeadline.unlimited()): Promise<DepositAddress> {
    const existing = await findDepositAddress(this.db, userId);
    if (existing) return existing;
    return this.mutex.run(() =>
      // PGlite belongs to this process (the mutex is enough) and must not be held in a transaction during RPC calls.
      this.db.kind === 'pglite'
        ? this.create(userId, this.db, deadline)
        : this.db.transaction(async (tx) => {
            await lockSubaddressAllocation(tx);
            return this.create(userId, tx, deadline);
          }),
    );
  }

  private async create(userId: string, q: Queryable, deadline: RequestDeadline): Promise<DepositAddress> {
    const again = await findDepositAddress(q, userId);
    if (again) return again;
    for (let attempt = 0; attempt < 5; attempt++) {
      const sub = await deadline.step('wallet', this.wallet().createSubaddress(userId));
      // A wallet restored from an old cache can hand out an index again: skip any that is taken.
      if (await isSubaddressTaken(q, sub.index)) continue;
      deadline.commit('wallet');
      const row = { userId, subaddressIndex: sub.index, address: sub.address };
      await insertDepositAddress(q, row);
      return row;
    }
    throw new Error('the hot wallet keeps returning subaddresses that are already assigned');
  }
}
