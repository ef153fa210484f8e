import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '@pupero/db';
import { acquireLease, findLeaseHolder, releaseLease, type LeaseHolder } from './lease-store.js';

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
    private readonly db: Queryable,
    readonly name: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if free or expired, renews it if ours. */
  async acquire(): Promise<boolean> {
    const started = Date.now();
    const ours = await acquireLease(this.db, this.name, this.holder, this.ttlMs);
    // Count from before the call, and keep a safety margin, so we stop before the database says it expired.
    this.validUntil = ours ? started + this.ttlMs * 0.8 : 0;
    return ours;
  }

  /** True while the lease is surely ours; renews it when less than half of it is left. */
  async ensure(): Promise<boolean> {
    if (Date.now() < this.validUntil - this.ttlMs * 0.4) return true;
    return this.acquire();
  }

  async release(): Promise<void> {
    this.validUntil = 0;
    await releaseLease(this.db, this.name, this.holder);
  }

  /** Whoever holds the lease now (this process or another replica), for the status page. */
  current(): Promise<LeaseHolder | null> {
    return findLeaseHolder(this.db, this.name);
  }
}
