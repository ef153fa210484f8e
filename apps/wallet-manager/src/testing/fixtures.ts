import pino from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { migrate, type Db } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { migrations } from '../migrations.js';

export const silentLogger = pino({ level: 'silent' });

/** A fresh database with the wallet schema (PGlite, or PostgreSQL with PUPERO_TEST_DB=postgres). */
export async function walletTestDb(): Promise<Db> {
  const db = await createTestDb();
  await migrate(db, 'wallet', migrations);
  return db;
}

/** Empties the wallet schema between tests that share one database. */
export async function resetWalletDb(db: Db): Promise<void> {
  await db.query(
    'TRUNCATE wallet.withdrawal_admin_actions, wallet.withdrawals, wallet.withdrawal_batches, wallet.deposits, wallet.deposit_addresses, wallet.chain_state, wallet.worker_lease',
  );
}

/**
 * One wallet database for the test file: created before its tests, closed after them, and (with
 * `emptyBeforeEach`) emptied before each test, ahead of the file's own beforeEach (vitest runs
 * before-hooks in the order they were registered). `use` receives the database once it exists.
 */
export function useWalletTestDb(use: (db: Db) => void, { emptyBeforeEach = false } = {}): void {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await walletTestDb();
    use(db);
  });
  afterAll(async () => {
    await db?.close();
  });
  if (emptyBeforeEach) beforeEach(async () => resetWalletDb(db!));
}
