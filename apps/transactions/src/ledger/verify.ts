import { one, type Db, type Queryable } from '@pupero/db';

export interface LedgerProblem {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  checked_entries: number;
  checked_postings: number;
  checked_accounts: number;
  checked_trades: number;
  problems: LedgerProblem[];
}

const SHOWN_PER_CHECK = 50;

/** The checks select text and int columns only (amounts as ::text, counts as ::int). */
type CheckRow = Record<string, string | number | null>;

interface Check {
  code: string;
  sql: string;
  message: (row: CheckRow) => string;
}

/**
 * Each check selects the rows that break one invariant; an empty result means it holds.
 * Amounts are compared in SQL and shown as text (sums of bigint are numeric).
 */
const CHECKS: Check[] = [
  {
    code: 'entry_unbalanced',
    sql: `SELECT e.id::text AS entry_id, e.idempotency_key, COUNT(p.id)::int AS postings, COALESCE(SUM(p.amount), 0)::text AS total
            FROM transactions.journal_entries e LEFT JOIN transactions.postings p ON p.entry_id = e.id
           GROUP BY e.id HAVING COUNT(p.id) < 2 OR COALESCE(SUM(p.amount), 0) <> 0`,
    message: (r) => `journal entry ${r.entry_id} (${r.idempotency_key}) has ${r.postings} postings summing to ${r.total}, not zero`,
  },
  {
    code: 'balance_mismatch',
    sql: `SELECT a.code, a.balance::text AS balance, COALESCE(s.total, 0)::text AS postings_total
            FROM transactions.accounts a
            LEFT JOIN (SELECT account_code, SUM(amount) AS total FROM transactions.postings GROUP BY account_code) s ON s.account_code = a.code
           WHERE a.balance <> COALESCE(s.total, 0)`,
    message: (r) => `account ${r.code} has balance ${r.balance} but its postings sum to ${r.postings_total}`,
  },
  {
    code: 'negative_user_balance',
    sql: `SELECT code, balance::text AS balance FROM transactions.accounts WHERE kind IN ('user_available', 'user_held') AND balance < 0`,
    message: (r) => `user account ${r.code} is negative (${r.balance})`,
  },
  {
    code: 'ledger_not_zero',
    sql: `SELECT SUM(balance)::text AS total FROM transactions.accounts HAVING SUM(balance) <> 0`,
    message: (r) => `the balances of all accounts sum to ${r.total}, not zero`,
  },
  {
    code: 'held_mismatch',
    sql: `WITH open_holds AS (
            SELECT seller_id AS user_id, amount + fee AS total FROM transactions.trades WHERE status IN ('escrowed', 'paid', 'disputed')
            UNION ALL
            SELECT user_id, amount + fee FROM transactions.withdrawal_holds WHERE status = 'held'
          ), expected AS (SELECT user_id, SUM(total) AS total FROM open_holds GROUP BY user_id),
          held AS (SELECT user_id, balance FROM transactions.accounts WHERE kind = 'user_held')
          SELECT COALESCE(h.user_id, x.user_id) AS user_id, COALESCE(h.balance, 0)::text AS held, COALESCE(x.total, 0)::text AS open_holds
            FROM held h FULL OUTER JOIN expected x ON x.user_id = h.user_id
           WHERE COALESCE(h.balance, 0) <> COALESCE(x.total, 0)`,
    message: (r) => `user ${r.user_id} has ${r.held} held but open trades and withdrawals hold ${r.open_holds}`,
  },
  {
    code: 'duplicate_idempotency_key',
    sql: `SELECT idempotency_key, COUNT(*)::int AS n FROM transactions.journal_entries GROUP BY idempotency_key HAVING COUNT(*) > 1`,
    message: (r) => `idempotency key ${r.idempotency_key} is used by ${r.n} entries`,
  },
  {
    code: 'trade_entries_mismatch',
    sql: `SELECT t.id AS trade_id, t.status, h.id::text AS hold_entry, s.kind AS settlement_kind
            FROM transactions.trades t
            LEFT JOIN transactions.journal_entries h ON h.idempotency_key = 'trade:' || t.id || ':hold'
            LEFT JOIN transactions.journal_entries s ON s.idempotency_key = 'trade:' || t.id || ':settle'
           WHERE h.id IS NULL
              OR (t.status IN ('escrowed', 'paid', 'disputed') AND s.id IS NOT NULL)
              OR (t.status = 'completed' AND (s.id IS NULL OR s.kind NOT IN ('trade_release', 'trade_split')))
              OR (t.status = 'cancelled' AND (s.id IS NULL OR s.kind <> 'trade_refund'))`,
    message: (r) =>
      `trade ${r.trade_id} is ${r.status} but its ledger shows hold=${r.hold_entry ?? 'none'} settlement=${r.settlement_kind ?? 'none'}`,
  },
  {
    code: 'trade_hold_amount_mismatch',
    sql: `SELECT t.id AS trade_id, (t.amount + t.fee)::text AS expected, p.amount::text AS held
            FROM transactions.trades t
            JOIN transactions.journal_entries h ON h.idempotency_key = 'trade:' || t.id || ':hold'
            LEFT JOIN transactions.postings p ON p.entry_id = h.id AND p.account_code = 'user:' || t.seller_id || ':held'
           WHERE p.amount IS DISTINCT FROM t.amount + t.fee`,
    message: (r) => `trade ${r.trade_id} should hold ${r.expected} from its seller but its hold entry moved ${r.held ?? 'nothing'}`,
  },
  {
    code: 'orphan_trade_entry',
    sql: `SELECT e.id::text AS entry_id, e.reference_id FROM transactions.journal_entries e
           WHERE e.reference_type = 'trade' AND NOT EXISTS (SELECT 1 FROM transactions.trades t WHERE t.id = e.reference_id)`,
    message: (r) => `journal entry ${r.entry_id} refers to trade ${r.reference_id}, which does not exist`,
  },
  {
    code: 'withdrawal_entries_mismatch',
    sql: `SELECT w.withdrawal_id, w.status, h.kind AS hold_kind, c.kind AS closing_kind
            FROM transactions.withdrawal_holds w
            JOIN transactions.journal_entries h ON h.id = w.hold_entry_id
            LEFT JOIN transactions.journal_entries c ON c.id = w.closing_entry_id
           WHERE h.kind <> 'withdrawal_hold' OR h.reference_id <> w.withdrawal_id
              OR (w.status = 'held' AND c.id IS NOT NULL)
              OR (w.status = 'finalised' AND c.kind IS DISTINCT FROM 'withdrawal_finalise')
              OR (w.status = 'released' AND c.kind IS DISTINCT FROM 'withdrawal_release')`,
    message: (r) => `withdrawal ${r.withdrawal_id} is ${r.status} but its entries are ${r.hold_kind}/${r.closing_kind ?? 'none'}`,
  },
];

async function count(tx: Queryable, table: string): Promise<number> {
  const { n } = await one<{ n: bigint }>(tx, `SELECT COUNT(*) AS n FROM transactions.${table}`);
  return Number(n);
}

/**
 * Proves the ledger's invariants over the whole ledger, in one consistent snapshot (REPEATABLE
 * READ, read-only), so it can run while money moves.
 */
export async function verifyLedger(db: Db): Promise<VerifyReport> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const problems: LedgerProblem[] = [];
    for (const check of CHECKS) {
      const { rows } = await tx.query<CheckRow>(`${check.sql} LIMIT ${SHOWN_PER_CHECK}`);
      for (const row of rows) problems.push({ code: check.code, message: check.message(row), details: row });
    }
    return {
      ok: problems.length === 0,
      checked_entries: await count(tx, 'journal_entries'),
      checked_postings: await count(tx, 'postings'),
      checked_accounts: await count(tx, 'accounts'),
      checked_trades: await count(tx, 'trades'),
      problems,
    };
  });
}
