import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKind } from './testing.js';
import { migrate } from './migrate.js';
import type { Db } from './types.js';

describe(`migrate on ${testDbKind()}`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  const good = { id: '001_items', sql: 'CREATE TABLE one_run.items (id text PRIMARY KEY)' };
  const bad = { id: '002_broken', sql: 'CREATE TABLE one_run.broken (' };

  it('applies a run in one transaction: a failing migration takes the ones before it back too', async () => {
    await expect(migrate(db, 'one_run', [good, bad])).rejects.toThrow(/one_run\/002_broken/);
    const { rows } = await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'one_run'`);
    expect(rows).toHaveLength(0);

    expect(await migrate(db, 'one_run', [good])).toEqual(['001_items']);
  });

  it('lets processes starting at once apply each migration exactly once', async () => {
    const second = { id: '002_more', sql: 'ALTER TABLE one_run.items ADD COLUMN note text' };
    const runs = await Promise.all([migrate(db, 'one_run', [good, second]), migrate(db, 'one_run', [good, second])]);
    expect(runs.flat()).toEqual(['002_more']);
  });
});
