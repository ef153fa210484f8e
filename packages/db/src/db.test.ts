import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKind } from './testing.js';
import { migrate } from './migrate.js';
import type { Db } from './types.js';

describe(`db layer on ${testDbKind()}`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  const migrations = [
    { id: '001_accounts', sql: `CREATE TABLE demo.accounts (id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))` },
    {
      id: '002_total',
      sql: `ALTER TABLE demo.accounts ADD COLUMN note text;
      CREATE INDEX accounts_note ON demo.accounts (note);`,
    },
  ];

  it('applies migrations once and is idempotent', async () => {
    expect(await migrate(db, 'demo', migrations)).toEqual(['001_accounts', '002_total']);
    expect(await migrate(db, 'demo', migrations)).toEqual([]);
    const { rows } = await db.query<{ id: string }>('SELECT id FROM demo.schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(['001_accounts', '002_total']);
  });

  it('round-trips bigint beyond 2^53 exactly and returns int8 as bigint', async () => {
    const big = 9_007_199_254_740_993n;
    await db.query('INSERT INTO demo.accounts (id, balance) VALUES ($1, $2)', ['a', big]);
    const { rows } = await db.query<{ balance: bigint }>('SELECT balance FROM demo.accounts WHERE id = $1', ['a']);
    expect(rows[0]?.balance).toBe(big);
    const small = await db.query<{ n: bigint }>('SELECT 5::bigint AS n');
    expect(small.rows[0]?.n).toBe(5n);
  });

  it('returns numeric sums as exact strings', async () => {
    const { rows } = await db.query<{ total: string }>(
      `SELECT sum(x)::numeric AS total FROM (VALUES (9223372036854775807::bigint), (9223372036854775807::bigint)) v(x)`,
    );
    expect(rows[0]?.total).toBe('18446744073709551614');
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO demo.accounts (id, balance) VALUES ($1, $2)', ['b', 10n]);
        await tx.query('UPDATE demo.accounts SET balance = balance - 20 WHERE id = $1', ['b']);
      }),
    ).rejects.toThrow(/check constraint/i);
    const { rows } = await db.query('SELECT * FROM demo.accounts WHERE id = $1', ['b']);
    expect(rows).toHaveLength(0);
  });

  it('reports a broken migration by name and applies nothing of it', async () => {
    await expect(migrate(db, 'demo', [...migrations, { id: '003_bad', sql: 'CREATE TABLE demo.x (' }])).rejects.toThrow(/demo\/003_bad/);
    const { rows } = await db.query('SELECT id FROM demo.schema_migrations WHERE id = $1', ['003_bad']);
    expect(rows).toHaveLength(0);
  });
});
