import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '@pupero/db';

/**
 * A lease row with an expiry: only its holder runs the chain work (deposit scanning, the
 * withdrawal worker), so several wallet-manager replicas on one PostgreSQL database never sign
 * or relay concurrently. It works the same on PGlite (one process) and on PostgreSQL; a holder
 * that dies (even by SIGKILL) loses it after `ttlMs`. Expiry is judged by the database clock.
 */
export class Lease {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private validUntil = 0;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if free or expired, renews it if ours. */
  async acquire(): Promise<boolean> {
    const started = Date.now();
    const { rows } = await this.db.query(
      `INSERT INTO wallet.worker_lease (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE wallet.worker_lease.holder = EXCLUDED.holder OR wallet.worker_lease.expires_at < now()
       RETURNING holder`,
      [this.name, this.holder, this.ttlMs / 1000],
    );
    // Count from before the call, and keep a safety margin, so we stop before the database says it expired.
    this.validUntil = rows.length === 1 ? started + this.ttlMs * 0.8 : 0;
    return rows.length === 1;
  }

  /** True while the lease is surely ours; renews it when less than half of it is left. */
  async ensure(): Promise<boolean> {
    if (Date.now() < this.validUntil - this.ttlMs * 0.4) return true;
    return this.acquire();
  }

  async release(): Promise<void> {
    this.validUntil = 0;
    await this.db.query('DELETE FROM wallet.worker_lease WHERE name = $1 AND holder = $2', [this.name, this.holder]);
  }
}
