import { maybeOne, type Queryable } from '@pupero/db';

/** Who holds a lease and until when (the database's clock). */
export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
}

interface LeaseRow {
  holder: string;
  expires_at: Date | string;
}

const leaseHolderFromRow = (r: LeaseRow): LeaseHolder => ({ holder: r.holder, expiresAt: new Date(r.expires_at) });

/** Takes the lease `name` for `holder` if free or expired, renews it if already theirs; false when another holds it. */
export async function acquireLease(q: Queryable, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const row = await maybeOne(
    q,
    `INSERT INTO wallet.worker_lease (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
     WHERE wallet.worker_lease.holder = EXCLUDED.holder OR wallet.worker_lease.expires_at < now()
     RETURNING holder`,
    [name, holder, ttlMs / 1000],
  );
  return row !== null;
}

export async function releaseLease(q: Queryable, name: string, holder: string): Promise<void> {
  await q.query('DELETE FROM wallet.worker_lease WHERE name = $1 AND holder = $2', [name, holder]);
}

/** The lease's current (possibly expired) holder, or null when nobody ever took it or it was released. */
export async function findLeaseHolder(q: Queryable, name: string): Promise<LeaseHolder | null> {
  const row = await maybeOne<LeaseRow>(q, 'SELECT holder, expires_at FROM wallet.worker_lease WHERE name = $1', [name]);
  return row && leaseHolderFromRow(row);
}
