import type { Db } from './types.js';

export interface Migration {
  /** Stable, sortable id, e.g. "001_users". Never renamed once released. */
  id: string;
  sql: string;
}

const SCHEMA_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Applies the not-yet-applied migrations of one service schema, in id order, all in ONE
 * transaction: a failing migration rolls the whole run back, so a service never starts on a
 * half-migrated schema. Idempotent and safe when several processes start at once: the advisory
 * lock per schema is a transaction lock, held until that one transaction ends.
 */
export async function migrate(db: Db, schema: string, migrations: readonly Migration[]): Promise<string[]> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  const ordered = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`pupero-migrate:${schema}`]);
    // A role that owns its schema but may not create schemas (one role per service) must get past
    // this: CREATE SCHEMA IF NOT EXISTS checks the database-level CREATE right before existence.
    const { rows: existing } = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (existing.length === 0) await tx.query(`CREATE SCHEMA ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations`);
    const done = new Set(rows.map((r) => r.id));
    for (const migration of ordered) {
      if (done.has(migration.id)) continue;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration ${schema}/${migration.id} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query(`INSERT INTO ${schema}.schema_migrations (id) VALUES ($1)`, [migration.id]);
      applied.push(migration.id);
    }
  });
  return applied;
}
