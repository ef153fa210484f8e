import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '@pupero/db';
import { createTestDb, testDbKind } from '@pupero/db/testing';
import { migrations } from '../migrations.js';
import { StaticPriceProvider } from './static-provider.js';

describe(`StaticPriceProvider on ${testDbKind()}`, () => {
  // The per-file test database of every store test (createTestDb + this service's migrations), inline like the others.
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, 'offers', migrations);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('serves configured prices, lets admins override some, and keeps the overrides across restarts', async () => {
    const configured = new Map([
      ['USD', 16_000_000_000n],
      ['EUR', 15_000_000_000n],
    ]);
    const first = new StaticPriceProvider({ configured, db });
    const initial = await first.snapshot();
    expect(initial.source).toBe('static');
    expect(initial.stale).toBe(false);
    expect(initial.prices.get('USD')?.price).toBe(16_000_000_000n);

    const after = await first.setPrices(
      new Map([
        ['USD', 16_550_000_000n],
        ['KES', 2_000_000_000_000n],
      ]),
      'admin-1',
    );
    expect(after.prices.get('USD')?.price).toBe(16_550_000_000n);
    expect(after.prices.get('EUR')?.price).toBe(15_000_000_000n);
    expect(after.prices.get('KES')?.price).toBe(2_000_000_000_000n);
    expect(after.updatedAt!.getTime()).toBeGreaterThanOrEqual(initial.updatedAt!.getTime());

    // A new process with the same config and database (a restart, or another replica).
    const restarted = await new StaticPriceProvider({ configured, db }).snapshot();
    expect(Object.fromEntries([...restarted.prices].map(([c, q]) => [c, q.price]))).toEqual({
      USD: 16_550_000_000n,
      EUR: 15_000_000_000n,
      KES: 2_000_000_000_000n,
    });
    const { rows } = await db.query<{ updated_by: string }>(`SELECT updated_by FROM offers.price_quotes WHERE currency = 'USD'`);
    expect(rows[0]?.updated_by).toBe('admin-1');
  });

  it('sees changes made by another replica after its reload interval', async () => {
    let clock = 0;
    const configured = new Map([['USD', 16_000_000_000n]]);
    const replicaA = new StaticPriceProvider({ configured, db, reloadMs: 2000, now: () => clock });
    const replicaB = new StaticPriceProvider({ configured, db, reloadMs: 2000, now: () => clock });
    const before = (await replicaA.snapshot()).prices.get('USD')?.price;
    await replicaB.setPrices(new Map([['USD', 17_000_000_000n]]), 'admin-2');
    expect((await replicaA.snapshot()).prices.get('USD')?.price).toBe(before);
    clock += 2000;
    expect((await replicaA.snapshot()).prices.get('USD')?.price).toBe(17_000_000_000n);
  });
});
