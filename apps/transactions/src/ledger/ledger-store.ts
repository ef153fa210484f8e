import { isCheckViolation, one, placeholders, type Queryable } from '@pupero/db';
import { conflict } from '../shared/errors.js';
import { formatXmr } from '@pupero/money';
import { type AccountKind, availableAccount, heldAccount, isUserAccount, userAccounts } from './accounts.js';
import type { EntryDraft, EntryKind, ReferenceType } from './posting-rules.js';

export const insufficientFunds = (details?: Record<string, string>) =>
  conflict('insufficient_funds', 'The available balance is too small for this.', details);

export interface PostedEntry {
  entryId: bigint;
  created: boolean;
}

export interface StoredEntry {
  id: bigint;
  key: string;
  kind: EntryKind;
  referenceType: ReferenceType;
  referenceId: string;
  details: Record<string, string>;
}

/**
 * Per database: users whose accounts exist (accounts are never deleted: a trigger refuses it), so
 * the insert below is skipped for them. A miss only costs one idempotent insert.
 */
const knownAccounts = new WeakMap<Queryable, Set<string>>();

/**
 * Creates the user's accounts if they do not exist yet. Runs in its own statement, BEFORE the
 * money-moving transaction, so that transaction only ever locks rows that already exist (a
 * concurrent insert of the same account would otherwise make lock order depend on timing).
 */
export async function ensureUserAccounts(db: Queryable, userIds: string[]): Promise<void> {
  let known = knownAccounts.get(db);
  if (!known) knownAccounts.set(db, (known = new Set()));
  const missing = [...new Set(userIds)].filter((id) => !known.has(id));
  const rows = missing.flatMap(userAccounts);
  if (rows.length === 0) return;
  const values = rows.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
  await db.query(
    `INSERT INTO transactions.accounts (code, kind, user_id) VALUES ${values} ON CONFLICT (code) DO NOTHING`,
    rows.flatMap((r) => [r.code, r.kind, r.userId]),
  );
  if (known.size > 100_000) known.clear();
  for (const id of missing) known.add(id);
}

export async function findEntry(tx: Queryable, key: string): Promise<StoredEntry | undefined> {
  const { rows } = await tx.query<{
    id: bigint;
    idempotency_key: string;
    kind: EntryKind;
    reference_type: ReferenceType;
    reference_id: string;
    details: Record<string, string>;
  }>(
    `SELECT id, idempotency_key, kind, reference_type, reference_id, details FROM transactions.journal_entries WHERE idempotency_key = $1`,
    [key],
  );
  const row = rows[0];
  return (
    row && {
      id: row.id,
      key: row.idempotency_key,
      kind: row.kind,
      referenceType: row.reference_type,
      referenceId: row.reference_id,
      details: row.details,
    }
  );
}

/**
 * Posts one journal entry inside the caller's transaction. Idempotent by the draft's key: when the
 * key exists, nothing moves and the first entry is returned (created: false).
 *
 * The entry row goes in first (ON CONFLICT on the key): a concurrent transaction with the same key
 * waits here, before it holds any account lock, and then sees the key taken. Then the touched
 * accounts are locked in one statement in account-code order (every transaction uses the same
 * order, so two transfers cannot deadlock), the resulting balances are checked for a clear error,
 * and the database CHECK refuses a negative user balance anyway. Callers that also lock a trade
 * or a withdrawal lock it BEFORE calling this, and call this as late as they can, so account
 * locks are held briefly.
 */
export async function postEntry(tx: Queryable, draft: EntryDraft): Promise<PostedEntry> {
  const { rows: inserted } = await tx.query<{ id: bigint }>(
    `INSERT INTO transactions.journal_entries (idempotency_key, kind, reference_type, reference_id, details)
     VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [draft.key, draft.kind, draft.reference.type, draft.reference.id, JSON.stringify(draft.details)],
  );
  if (!inserted[0]) {
    const first = await findEntry(tx, draft.key);
    if (!first) throw new Error(`journal entry ${draft.key} vanished`);
    return { entryId: first.id, created: false };
  }
  const entryId = inserted[0].id;

  const codes = draft.postings.map((p) => p.account); // balanced() already sorted them
  const { rows: accounts } = await tx.query<{ code: string; kind: AccountKind; balance: bigint }>(
    `SELECT code, kind, balance FROM transactions.accounts WHERE code IN (${placeholders(codes.length)}) ORDER BY code FOR NO KEY UPDATE`,
    codes,
  );
  if (accounts.length !== codes.length) {
    const missing = codes.filter((c) => !accounts.some((a) => a.code === c));
    throw new Error(`ledger accounts missing (call ensureUserAccounts first): ${missing.join(', ')}`);
  }
  for (const account of accounts) {
    const delta = draft.postings.find((p) => p.account === account.code)!.amount;
    if (isUserAccount(account.kind) && account.balance + delta < 0n) {
      throw insufficientFunds({ needed: formatXmr(-delta), available: formatXmr(account.balance) });
    }
  }

  const values = draft.postings.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
  try {
    await tx.query(`INSERT INTO transactions.postings (entry_id, account_code, amount) VALUES ${values}`, [
      entryId,
      ...draft.postings.flatMap((p) => [p.account, p.amount]),
    ]);
  } catch (error) {
    if (isCheckViolation(error, 'accounts_user_balance_non_negative')) throw insufficientFunds();
    throw error;
  }
  return { entryId, created: true };
}

export interface UserBalance {
  available: bigint;
  held: bigint;
}

export async function userBalance(db: Queryable, userId: string): Promise<UserBalance> {
  const { rows } = await db.query<{ code: string; balance: bigint }>(
    `SELECT code, balance FROM transactions.accounts WHERE code IN ($1, $2)`,
    [availableAccount(userId), heldAccount(userId)],
  );
  const of = (code: string) => rows.find((r) => r.code === code)?.balance ?? 0n;
  return { available: of(availableAccount(userId)), held: of(heldAccount(userId)) };
}

export interface HistoryItem {
  entryId: bigint;
  kind: EntryKind;
  referenceType: ReferenceType;
  referenceId: string;
  available: bigint;
  held: bigint;
  createdAt: Date;
}

/** The user's journal entries, newest first, with what each did to their two accounts. */
export async function userHistory(db: Queryable, userId: string, limit: number, beforeEntryId?: bigint): Promise<HistoryItem[]> {
  const { rows } = await db.query<{
    id: bigint;
    kind: EntryKind;
    reference_type: ReferenceType;
    reference_id: string;
    created_at: Date;
    available: bigint;
    held: bigint;
  }>(
    `SELECT e.id, e.kind, e.reference_type, e.reference_id, e.created_at,
            COALESCE(SUM(p.amount) FILTER (WHERE p.account_code = $1), 0)::bigint AS available,
            COALESCE(SUM(p.amount) FILTER (WHERE p.account_code = $2), 0)::bigint AS held
       FROM transactions.postings p
       JOIN transactions.journal_entries e ON e.id = p.entry_id
      WHERE p.account_code IN ($1, $2) AND ($3::bigint IS NULL OR e.id < $3::bigint)
      GROUP BY e.id
      ORDER BY e.id DESC
      LIMIT $4`,
    [availableAccount(userId), heldAccount(userId), beforeEntryId ?? null, limit],
  );
  return rows.map((r) => ({
    entryId: r.id,
    kind: r.kind,
    referenceType: r.reference_type,
    referenceId: r.reference_id,
    available: r.available,
    held: r.held,
    createdAt: r.created_at,
  }));
}

export interface Liabilities {
  userAvailable: bigint;
  userHeld: bigint;
}

/** What Pupero owes its users: the sum of their balance rows. */
export async function liabilities(db: Queryable): Promise<Liabilities> {
  const totals = await one<{ available: string; held: string }>(
    db,
    `SELECT COALESCE(SUM(balance) FILTER (WHERE kind = 'user_available'), 0)::text AS available,
            COALESCE(SUM(balance) FILTER (WHERE kind = 'user_held'), 0)::text AS held
       FROM transactions.accounts`,
  );
  return { userAvailable: BigInt(totals.available), userHeld: BigInt(totals.held) };
}
