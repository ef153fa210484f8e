import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Db, migrate, one } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { AppError } from '@pupero/http';
import { xmr } from '@pupero/money';
import { migrations } from '../migrations.js';
import { creditDeposit, finaliseWithdrawal, holdWithdrawal, releaseWithdrawal } from './commands.js';
import { ensureUserAccounts, liabilities, postEntry, userBalance, userHistory } from './ledger-store.js';
import { depositEntry } from './posting-rules.js';
import { verifyLedger } from './verify.js';

/** The ledger against a real database (PGlite, or PostgreSQL with PUPERO_TEST_DB=postgres). */
describe('ledger (database)', () => {
  let db: Db;
  let n = 0;
  const uid = () => `u${Date.now().toString(36)}${++n}`;
  const txid = () => `tx${Math.random().toString(16).slice(2)}${++n}`;

  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, 'transactions', migrations);
  });
  afterEach(async () => {
    const report = await verifyLedger(db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
  afterAll(async () => {
    await db?.close();
  });

  const rejects = async (promise: Promise<unknown>, pattern: RegExp) => {
    const error = await promise.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error, 'expected the database to refuse').toBeInstanceOf(Error);
    expect(error!.message).toMatch(pattern);
  };

  it('credits a deposit once per txid + output; a repeat moves nothing; a conflicting reuse is refused', async () => {
    const user = uid();
    const id = txid();
    const first = await creditDeposit(db, { userId: user, txid: id, outputKey: '0', amount: xmr('1.25') });
    expect(first.created).toBe(true);
    const again = await creditDeposit(db, { userId: user, txid: id, outputKey: '0', amount: xmr('1.25') });
    expect(again).toEqual({ entryId: first.entryId, created: false });
    const other = await creditDeposit(db, { userId: user, txid: id, outputKey: '1', amount: xmr('0.75') });
    expect(other.created).toBe(true);
    expect(await userBalance(db, user)).toEqual({ available: xmr('2'), held: 0n });
    await expect(creditDeposit(db, { userId: user, txid: id, outputKey: '0', amount: xmr('9') })).rejects.toMatchObject({
      statusCode: 409,
      code: 'idempotency_key_reused',
    });
    await expect(creditDeposit(db, { userId: uid(), txid: id, outputKey: '0', amount: xmr('1.25') })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
    expect(await userBalance(db, user)).toEqual({ available: xmr('2'), held: 0n });
  });

  it('credits a deposit exactly once under 25 concurrent identical calls', async () => {
    const user = uid();
    const id = txid();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => creditDeposit(db, { userId: user, txid: id, outputKey: '3', amount: xmr('0.1') })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entryId))).toEqual(new Set([results[0]?.entryId]));
    expect((await userBalance(db, user)).available).toBe(xmr('0.1'));
  });

  it('holds, finalises and releases withdrawals, idempotently and exclusively', async () => {
    const user = uid();
    await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: xmr('3') });
    const before = await one<{ balance: bigint }>(db, `SELECT balance FROM transactions.accounts WHERE code = 'platform:hot_wallet'`);

    const hold = await holdWithdrawal(db, { withdrawalId: 'w-a', userId: user, amount: xmr('1'), fee: xmr('0.01') });
    expect(hold.created).toBe(true);
    expect(await holdWithdrawal(db, { withdrawalId: 'w-a', userId: user, amount: xmr('1'), fee: xmr('0.01') })).toEqual({
      ...hold,
      created: false,
    });
    await expect(holdWithdrawal(db, { withdrawalId: 'w-a', userId: user, amount: xmr('2'), fee: xmr('0.01') })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
    expect(await userBalance(db, user)).toEqual({ available: xmr('1.99'), held: xmr('1.01') });

    const fin = await finaliseWithdrawal(db, { withdrawalId: 'w-a', userId: user, networkFee: xmr('0.0002') });
    expect(fin.created).toBe(true);
    expect(await finaliseWithdrawal(db, { withdrawalId: 'w-a', userId: user, networkFee: xmr('0.0002') })).toEqual({
      ...fin,
      created: false,
    });
    await expect(releaseWithdrawal(db, { withdrawalId: 'w-a', userId: user })).rejects.toMatchObject({
      statusCode: 409,
      code: 'withdrawal_already_finalised',
    });
    expect(await userBalance(db, user)).toEqual({ available: xmr('1.99'), held: 0n });
    const after = await one<{ balance: bigint }>(db, `SELECT balance FROM transactions.accounts WHERE code = 'platform:hot_wallet'`);
    expect(after.balance - before.balance).toBe(xmr('1.0002')); // amount + network fee left the wallet

    await holdWithdrawal(db, { withdrawalId: 'w-b', userId: user, amount: xmr('1.5'), fee: 0n });
    const rel = await releaseWithdrawal(db, { withdrawalId: 'w-b', userId: user });
    expect(rel.created).toBe(true);
    expect(await releaseWithdrawal(db, { withdrawalId: 'w-b', userId: user })).toEqual({ ...rel, created: false });
    await expect(finaliseWithdrawal(db, { withdrawalId: 'w-b', userId: user, networkFee: 0n })).rejects.toMatchObject({
      code: 'withdrawal_already_released',
    });
    expect(await userBalance(db, user)).toEqual({ available: xmr('1.99'), held: 0n });

    await expect(finaliseWithdrawal(db, { withdrawalId: 'w-none', userId: user, networkFee: 0n })).rejects.toMatchObject({
      statusCode: 404,
      code: 'withdrawal_hold_not_found',
    });
    await holdWithdrawal(db, { withdrawalId: 'w-c', userId: user, amount: xmr('0.5'), fee: 0n });
    await expect(releaseWithdrawal(db, { withdrawalId: 'w-c', userId: uid() })).rejects.toMatchObject({ code: 'withdrawal_user_mismatch' });
    await releaseWithdrawal(db, { withdrawalId: 'w-c', userId: user });
  });

  it('refuses a withdrawal hold beyond the available balance, and changes nothing', async () => {
    const user = uid();
    await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: xmr('1') });
    await expect(holdWithdrawal(db, { withdrawalId: `w-${user}`, userId: user, amount: xmr('1'), fee: 1n })).rejects.toMatchObject({
      statusCode: 409,
      code: 'insufficient_funds',
    });
    expect(await userBalance(db, user)).toEqual({ available: xmr('1'), held: 0n });
    const holds = await db.query(`SELECT 1 FROM transactions.withdrawal_holds WHERE user_id = $1`, [user]);
    expect(holds.rows).toHaveLength(0);
  });

  it('never lets 60 concurrent holds overdraw: exactly the covered ones succeed', async () => {
    const user = uid();
    await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: xmr('2.5') });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        holdWithdrawal(db, { withdrawalId: `wc-${user}-${i}`, userId: user, amount: xmr('0.1'), fee: 0n }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toBe(25);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'insufficient_funds' });
    expect(await userBalance(db, user)).toEqual({ available: 0n, held: xmr('2.5') });
    for (let i = 0; i < 60; i++) await releaseWithdrawal(db, { withdrawalId: `wc-${user}-${i}`, userId: user }).catch(() => undefined);
    expect(await userBalance(db, user)).toEqual({ available: xmr('2.5'), held: 0n });
  });

  it('lists a user history newest first with the change to each balance, and sums liabilities', async () => {
    const user = uid();
    await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: xmr('2') });
    await holdWithdrawal(db, { withdrawalId: `wh-${user}`, userId: user, amount: xmr('0.5'), fee: xmr('0.1') });
    const history = await userHistory(db, user, 10);
    expect(history.map((h) => [h.kind, h.available, h.held])).toEqual([
      ['withdrawal_hold', -xmr('0.6'), xmr('0.6')],
      ['deposit', xmr('2'), 0n],
    ]);
    const older = await userHistory(db, user, 10, history[0]?.entryId);
    expect(older.map((h) => h.kind)).toEqual(['deposit']);
    const l = await liabilities(db);
    expect(l.userAvailable).toBeGreaterThanOrEqual(xmr('1.4'));
    await releaseWithdrawal(db, { withdrawalId: `wh-${user}`, userId: user });
  });

  describe('the database enforces the rules even against direct SQL', () => {
    /** One entry and its postings in plain SQL (one INSERT for all postings), past postEntry's checks. */
    const writeByHand = (key: string, kind: 'deposit' | 'withdrawal_hold', postings: Array<[account: string, amount: number]>) =>
      db.transaction(async (tx) => {
        const { id } = await one<{ id: bigint }>(
          tx,
          `INSERT INTO transactions.journal_entries (idempotency_key, kind, reference_type, reference_id) VALUES ($1, $2, $3, 'x') RETURNING id`,
          [key, kind, kind === 'deposit' ? 'deposit' : 'withdrawal'],
        );
        const values = postings.map((_, i) => `($1, $${2 * i + 2}, $${2 * i + 3}::bigint)`).join(', ');
        await tx.query(`INSERT INTO transactions.postings (entry_id, account_code, amount) VALUES ${values}`, [id, ...postings.flat()]);
      });

    it('journal entries and postings are append-only', async () => {
      const user = uid();
      const { entryId } = await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: 5n });
      await rejects(db.query(`UPDATE transactions.journal_entries SET kind = 'deposit' WHERE id = $1`, [entryId]), /append-only/);
      await rejects(db.query(`DELETE FROM transactions.journal_entries WHERE id = $1`, [entryId]), /append-only/);
      await rejects(db.query(`UPDATE transactions.postings SET amount = 6 WHERE entry_id = $1`, [entryId]), /append-only/);
      await rejects(db.query(`DELETE FROM transactions.postings WHERE entry_id = $1`, [entryId]), /append-only/);
      await rejects(db.query(`TRUNCATE transactions.postings CASCADE`), /append-only/);
    });

    it('balances change only through postings', async () => {
      const user = uid();
      await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: 5n });
      await rejects(db.query(`UPDATE transactions.accounts SET balance = 1000 WHERE user_id = $1`, [user]), /only through postings/);
      await rejects(db.query(`DELETE FROM transactions.accounts WHERE user_id = $1`, [user]), /append-only/);
      await rejects(
        db.query(
          `INSERT INTO transactions.accounts (code, kind, user_id, balance) VALUES ('user:zz:available', 'user_available', 'zz', 7)`,
        ),
        /zero balance/,
      );
    });

    it('an entry that does not sum to zero cannot commit', async () => {
      const user = uid();
      await ensureUserAccounts(db, [user]);
      await rejects(
        writeByHand(`bad:${user}`, 'deposit', [
          [`user:${user}:available`, 10],
          ['platform:hot_wallet', -9],
        ]),
        /does not balance/,
      );
      await rejects(
        db.query(
          `INSERT INTO transactions.journal_entries (idempotency_key, kind, reference_type, reference_id) VALUES ($1, 'deposit', 'deposit', 'x')`,
          [`empty:${user}`],
        ),
        /does not balance/,
      );
      expect(await userBalance(db, user)).toEqual({ available: 0n, held: 0n });
    });

    it('a user balance cannot go negative, even with a balanced entry written by hand', async () => {
      const user = uid();
      await ensureUserAccounts(db, [user]);
      await rejects(
        writeByHand(`overdraw:${user}`, 'withdrawal_hold', [
          [`user:${user}:available`, -1],
          [`user:${user}:held`, 1],
        ]),
        /accounts_user_balance_non_negative/,
      );
    });

    it('postEntry reports insufficient_funds for an overdraft and moves nothing', async () => {
      const user = uid();
      await ensureUserAccounts(db, [user]);
      const draft = depositEntry({ userId: user, txid: 'neg', outputKey: user, amount: 5n });
      const reversed = { ...draft, key: `reversed:${user}`, postings: draft.postings.map((p) => ({ ...p, amount: -p.amount })) };
      const error = await db.transaction((tx) => postEntry(tx, reversed)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ statusCode: 409, code: 'insufficient_funds' });
    });
  });

  it('verify reports a corrupted ledger (triggers disabled to simulate tampering)', async () => {
    const user = uid();
    await creditDeposit(db, { userId: user, txid: txid(), outputKey: '0', amount: 100n });
    await db.transaction(async (tx) => {
      await tx.query(`ALTER TABLE transactions.accounts DISABLE TRIGGER USER`);
      await tx.query(`UPDATE transactions.accounts SET balance = 150 WHERE code = $1`, [`user:${user}:available`]);
      await tx.query(`ALTER TABLE transactions.accounts ENABLE TRIGGER USER`);
    });
    const report = await verifyLedger(db);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code).sort()).toEqual(['balance_mismatch', 'ledger_not_zero']);
    // Put it back (the same way) so the suite's after-each verify holds.
    await db.transaction(async (tx) => {
      await tx.query(`ALTER TABLE transactions.accounts DISABLE TRIGGER USER`);
      await tx.query(`UPDATE transactions.accounts SET balance = 100 WHERE code = $1`, [`user:${user}:available`]);
      await tx.query(`ALTER TABLE transactions.accounts ENABLE TRIGGER USER`);
    });
  });
});
