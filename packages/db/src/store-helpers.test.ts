import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, createTestDb, testDbKind } from './testing.js';
import { atomically, inTransaction, isCheckViolation, isUniqueViolation, maybeOne, one, RowCountError, sqlState } from './store-helpers.js';
import type { Db, Queryable } from './types.js';

describe(`store helpers on ${testDbKind()}`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
    await db.exec(`CREATE SCHEMA h;
      CREATE TABLE h.items (id text PRIMARY KEY, n int NOT NULL CONSTRAINT items_n_positive CHECK (n > 0),
        label text CONSTRAINT items_label_key UNIQUE);
      INSERT INTO h.items (id, n, label) VALUES ('a', 1, 'x'), ('b', 2, 'y');`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('one() returns the single row and names the query when there are none or several', async () => {
    expect(await one<{ n: number }>(db, 'SELECT n FROM h.items WHERE id = $1', ['b'])).toEqual({ n: 2 });
    const none = await caught(() => one(db, 'SELECT n FROM h.items WHERE id = $1', ['zz']));
    expect(none).toBeInstanceOf(RowCountError);
    expect((none as RowCountError).message).toMatch(/expected exactly one row, got 0: SELECT n FROM h.items/);
    expect(((await caught(() => one(db, 'SELECT n FROM h.items'))) as RowCountError).count).toBe(2);
  });

  it('maybeOne() returns the row or null, and refuses several', async () => {
    expect(await maybeOne(db, 'SELECT id FROM h.items WHERE n = $1', [1])).toEqual({ id: 'a' });
    expect(await maybeOne(db, 'SELECT id FROM h.items WHERE n = $1', [99])).toBeNull();
    expect(await caught(() => maybeOne(db, 'SELECT id FROM h.items'))).toBeInstanceOf(RowCountError);
  });

  it('recognises unique and check violations by their constraint, from the real driver errors', async () => {
    const dup = await caught(() => db.query("INSERT INTO h.items (id, n) VALUES ('a', 5)"));
    expect(sqlState(dup)).toBe('23505');
    expect(isUniqueViolation(dup)).toBe(true);
    expect(isUniqueViolation(dup, 'items_pkey')).toBe(true);
    expect(isUniqueViolation(dup, 'items_label_key')).toBe(false);
    const label = await caught(() => db.query("INSERT INTO h.items (id, n, label) VALUES ('c', 5, 'x')"));
    expect(isUniqueViolation(label, 'items_label_key')).toBe(true);
    const check = await caught(() => db.query("INSERT INTO h.items (id, n) VALUES ('d', 0)"));
    expect(isCheckViolation(check, 'items_n_positive')).toBe(true);
    expect(isUniqueViolation(check)).toBe(false);
    expect(isUniqueViolation(new Error('duplicate key value violates unique constraint'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('inTransaction commits, and rolls back without retrying on an ordinary error', async () => {
    let runs = 0;
    const error = await caught(() =>
      inTransaction(db, async (tx) => {
        runs++;
        await tx.query("INSERT INTO h.items (id, n) VALUES ('t1', 1)");
        await tx.query("INSERT INTO h.items (id, n) VALUES ('a', 1)");
      }),
    );
    expect(isUniqueViolation(error)).toBe(true);
    expect(runs).toBe(1);
    expect(await maybeOne(db, "SELECT id FROM h.items WHERE id = 't1'")).toBeNull();
    await inTransaction(db, (tx) => tx.query("INSERT INTO h.items (id, n) VALUES ('t2', 1)"));
    expect(await one(db, "SELECT id FROM h.items WHERE id = 't2'")).toEqual({ id: 't2' });
  });

  it('inTransaction runs fn again after a serialization failure or a deadlock, a bounded number of times', async () => {
    const failing = (codes: string[]): { db: Db; runs: () => number } => {
      let runs = 0;
      const fake: Db = {
        ...db,
        transaction: async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
          const code = codes[runs++];
          if (code) throw Object.assign(new Error(`aborted (${code})`), { code });
          return fn(db);
        },
      };
      return { db: fake, runs: () => runs };
    };
    const twice = failing(['40001', '40P01']);
    expect(await inTransaction(twice.db, async () => 'done')).toBe('done');
    expect(twice.runs()).toBe(3);
    const always = failing(['40001', '40001', '40001', '40001', '40001']);
    expect(sqlState(await caught(() => inTransaction(always.db, async () => 'never')))).toBe('40001');
    expect(always.runs()).toBe(4);
  });

  it('atomically opens a transaction on the database and joins the one it is given', async () => {
    const fail = (q: Queryable) =>
      atomically(q, async (tx) => {
        await tx.query("INSERT INTO h.items (id, n) VALUES ('j1', 1)");
        throw new Error('second step failed');
      });
    await caught(() => fail(db));
    expect(await maybeOne(db, "SELECT id FROM h.items WHERE id = 'j1'")).toBeNull();
    // Joined: the caller's transaction sees the store's row, and its own rollback undoes it.
    await caught(() =>
      db.transaction(async (tx) => {
        await atomically(tx, (inner) => inner.query("INSERT INTO h.items (id, n) VALUES ('j2', 1)"));
        expect(await maybeOne(tx, "SELECT id FROM h.items WHERE id = 'j2'")).toEqual({ id: 'j2' });
        throw new Error('caller gives up');
      }),
    );
    expect(await maybeOne(db, "SELECT id FROM h.items WHERE id = 'j2'")).toBeNull();
  });

  it.runIf(testDbKind() === 'postgres')(
    'inTransaction recovers from a real deadlock between two transactions',
    async () => {
      await db.query("INSERT INTO h.items (id, n) VALUES ('l1', 1), ('l2', 1)");
      let runs = 0;
      let bothLocked!: () => void;
      const firstLocks = new Promise<void>((resolve) => (bothLocked = resolve));
      let locked = 0;
      // Each locks one row, waits until the other did, then wants the other's: PostgreSQL aborts one with 40P01.
      const crossing = (mine: string, theirs: string) =>
        inTransaction(db, async (tx) => {
          runs++;
          await tx.query('UPDATE h.items SET n = n + 1 WHERE id = $1', [mine]);
          if (++locked === 2) bothLocked();
          await firstLocks;
          await tx.query('UPDATE h.items SET n = n + 1 WHERE id = $1', [theirs]);
        });
      await Promise.all([crossing('l1', 'l2'), crossing('l2', 'l1')]);
      expect(runs).toBe(3);
      const { rows } = await db.query<{ n: number }>("SELECT n FROM h.items WHERE id IN ('l1', 'l2') ORDER BY id");
      expect(rows.map((r) => r.n)).toEqual([3, 3]);
    },
    30_000,
  );
});
