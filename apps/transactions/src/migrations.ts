import type { Migration } from '@pupero/db';

/**
 * The transactions schema. The database itself enforces the ledger's rules, so a bug in the
 * service cannot break them silently:
 * - postings are credit-positive bigint amounts; every journal entry sums to zero and has at least
 *   two postings (deferred constraint triggers, checked at COMMIT);
 * - journal entries and postings are append-only (UPDATE/DELETE/TRUNCATE raise);
 * - an account's balance row is maintained by a trigger on each posting, may change no other way,
 *   and a user account's balance can never go below zero (CHECK constraint);
 * - every money-moving command has a unique idempotency key.
 * Chat messages, feedback and timeline events are append-only too: they are the evidence a
 * moderator reads in a dispute.
 */
const scripts: Migration[] = [
  {
    id: '001_ledger',
    sql: `
CREATE FUNCTION transactions.forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is not allowed (post a correcting entry instead)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE TABLE transactions.accounts (
  code text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('user_available', 'user_held', 'platform_hot_wallet', 'platform_fee_income', 'platform_network_fees')),
  user_id text,
  balance bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accounts_user_id_matches_kind CHECK ((kind IN ('user_available', 'user_held')) = (user_id IS NOT NULL)),
  CONSTRAINT accounts_user_balance_non_negative CHECK (kind NOT IN ('user_available', 'user_held') OR balance >= 0),
  CONSTRAINT accounts_one_per_user_and_kind UNIQUE (user_id, kind)
);

CREATE FUNCTION transactions.guard_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.balance <> 0 THEN
      RAISE EXCEPTION 'account % must open with a zero balance', NEW.code USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.code <> OLD.code OR NEW.kind <> OLD.kind OR NEW.user_id IS DISTINCT FROM OLD.user_id THEN
    RAISE EXCEPTION 'account % cannot be renamed or re-owned', OLD.code USING ERRCODE = 'restrict_violation';
  END IF;
  -- Depth 2 = called from postings_apply_to_balance; a direct UPDATE runs at depth 1.
  IF NEW.balance <> OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'the balance of % changes only through postings', OLD.code USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounts_guard BEFORE INSERT OR UPDATE ON transactions.accounts
  FOR EACH ROW EXECUTE FUNCTION transactions.guard_account();
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON transactions.accounts
  FOR EACH ROW EXECUTE FUNCTION transactions.forbid_change();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON transactions.accounts
  FOR EACH STATEMENT EXECUTE FUNCTION transactions.forbid_change();

INSERT INTO transactions.accounts (code, kind) VALUES
  ('platform:hot_wallet', 'platform_hot_wallet'),
  ('platform:fee_income', 'platform_fee_income'),
  ('platform:network_fees', 'platform_network_fees');

CREATE TABLE transactions.journal_entries (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('deposit', 'trade_hold', 'trade_release', 'trade_refund', 'trade_split',
                                     'withdrawal_hold', 'withdrawal_finalise', 'withdrawal_release')),
  reference_type text NOT NULL CHECK (reference_type IN ('trade', 'deposit', 'withdrawal')),
  reference_id text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT journal_entries_idempotency_key_unique UNIQUE (idempotency_key)
);
CREATE INDEX journal_entries_reference ON transactions.journal_entries (reference_type, reference_id);

CREATE TABLE transactions.postings (
  id bigserial PRIMARY KEY,
  entry_id bigint NOT NULL REFERENCES transactions.journal_entries (id),
  account_code text NOT NULL REFERENCES transactions.accounts (code),
  amount bigint NOT NULL CHECK (amount <> 0),
  CONSTRAINT postings_one_per_account_per_entry UNIQUE (entry_id, account_code)
);
CREATE INDEX postings_account ON transactions.postings (account_code, entry_id);

CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON transactions.journal_entries
  FOR EACH ROW EXECUTE FUNCTION transactions.forbid_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON transactions.journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION transactions.forbid_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON transactions.postings
  FOR EACH ROW EXECUTE FUNCTION transactions.forbid_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON transactions.postings
  FOR EACH STATEMENT EXECUTE FUNCTION transactions.forbid_change();

-- The balance row follows its postings in the same transaction; the CHECK above refuses a
-- negative user balance whatever the concurrency.
CREATE FUNCTION transactions.apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE transactions.accounts SET balance = balance + NEW.amount, updated_at = now() WHERE code = NEW.account_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'posting to unknown account %', NEW.account_code USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER postings_apply_to_balance AFTER INSERT ON transactions.postings
  FOR EACH ROW EXECUTE FUNCTION transactions.apply_posting();

CREATE FUNCTION transactions.assert_entry_balanced(p_entry bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  total numeric;
  n integer;
BEGIN
  SELECT coalesce(sum(amount), 0), count(*) INTO total, n FROM transactions.postings WHERE entry_id = p_entry;
  IF n < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance: % postings summing to %', p_entry, n, total
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced';
  END IF;
END $$;
CREATE FUNCTION transactions.entry_balanced_on_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM transactions.assert_entry_balanced(NEW.id);
  RETURN NULL;
END $$;
CREATE FUNCTION transactions.posting_entry_balanced_on_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM transactions.assert_entry_balanced(NEW.entry_id);
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON transactions.journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION transactions.entry_balanced_on_commit();
CREATE CONSTRAINT TRIGGER postings_entry_balanced AFTER INSERT ON transactions.postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION transactions.posting_entry_balanced_on_commit();

CREATE TABLE transactions.withdrawal_holds (
  withdrawal_id text PRIMARY KEY,
  user_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  fee bigint NOT NULL CHECK (fee >= 0),
  status text NOT NULL CHECK (status IN ('held', 'finalised', 'released')),
  network_fee bigint CHECK (network_fee >= 0),
  hold_entry_id bigint NOT NULL REFERENCES transactions.journal_entries (id),
  closing_entry_id bigint REFERENCES transactions.journal_entries (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'held') = (closing_entry_id IS NULL))
);
CREATE INDEX withdrawal_holds_open ON transactions.withdrawal_holds (user_id) WHERE status = 'held';
`,
  },
  {
    id: '002_trades',
    sql: `
CREATE TABLE transactions.trades (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  offer_id text NOT NULL,
  offer_side text NOT NULL CHECK (offer_side IN ('sell', 'buy')),
  maker_id text NOT NULL,
  taker_id text NOT NULL,
  buyer_id text NOT NULL,
  buyer_username text NOT NULL,
  seller_id text NOT NULL,
  seller_username text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  fee bigint NOT NULL CHECK (fee >= 0),
  price text NOT NULL,
  fiat_amount text NOT NULL,
  currency text NOT NULL,
  payment_method text NOT NULL,
  terms text NOT NULL DEFAULT '',
  payment_window_minutes integer NOT NULL CHECK (payment_window_minutes > 0),
  status text NOT NULL CHECK (status IN ('escrowed', 'paid', 'completed', 'cancelled', 'disputed')),
  payment_deadline timestamptz NOT NULL,
  closed_by text CHECK (closed_by IN ('release', 'cancel', 'expire', 'resolve')),
  cancelled_by text,
  buyer_received bigint CHECK (buyer_received >= 0),
  paid_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  dispute_reason text,
  disputed_by text,
  disputed_at timestamptz,
  resolution_outcome text CHECK (resolution_outcome IN ('release', 'refund', 'split')),
  resolution_buyer_amount bigint,
  resolution_note text,
  resolved_by text,
  resolved_by_username text,
  resolved_at timestamptz,
  idempotency_key text,
  request_fingerprint text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT trades_parties_differ CHECK (buyer_id <> seller_id),
  CONSTRAINT trades_closed_iff_final CHECK ((status IN ('completed', 'cancelled')) = (closed_by IS NOT NULL)),
  CONSTRAINT trades_taker_idempotency_key UNIQUE (taker_id, idempotency_key)
);
CREATE INDEX trades_buyer ON transactions.trades (buyer_id, seq DESC);
CREATE INDEX trades_seller ON transactions.trades (seller_id, seq DESC);
CREATE INDEX trades_escrowed_deadline ON transactions.trades (payment_deadline) WHERE status = 'escrowed';
CREATE INDEX trades_open_disputes ON transactions.trades (disputed_at) WHERE status = 'disputed';
`,
  },
  {
    id: '003_events_chat_feedback',
    sql: `
CREATE TABLE transactions.events (
  id bigserial PRIMARY KEY,
  trade_id text REFERENCES transactions.trades (id),
  user_ids text[] NOT NULL,
  type text NOT NULL,
  actor_id text,
  actor_username text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_trade ON transactions.events (trade_id, id);
CREATE INDEX events_users ON transactions.events USING gin (user_ids);

CREATE TABLE transactions.messages (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  trade_id text NOT NULL REFERENCES transactions.trades (id),
  author_id text NOT NULL,
  author_username text NOT NULL,
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_trade ON transactions.messages (trade_id, seq);

CREATE TABLE transactions.feedback (
  trade_id text NOT NULL REFERENCES transactions.trades (id),
  author_id text NOT NULL,
  author_username text NOT NULL,
  subject_id text NOT NULL,
  rating text NOT NULL CHECK (rating IN ('positive', 'neutral', 'negative')),
  comment text CHECK (comment IS NULL OR char_length(comment) <= 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trade_id, author_id),
  CHECK (author_id <> subject_id)
);
CREATE INDEX feedback_subject ON transactions.feedback (subject_id);

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON transactions.events
  FOR EACH ROW EXECUTE FUNCTION transactions.forbid_change();
CREATE TRIGGER messages_append_only BEFORE UPDATE OR DELETE ON transactions.messages
  FOR EACH ROW EXECUTE FUNCTION transactions.forbid_change();
CREATE TRIGGER feedback_append_only BEFORE UPDATE OR DELETE ON transactions.feedback
  FOR EACH ROW EXECUTE FUNCTION transactions.forbid_change();
`,
  },
];

/**
 * PGlite runs a parameterless query as a prepared statement, which holds one command: each script
 * above is applied as one migration per statement ("001_ledger.07"), all in migrate()'s single
 * transaction.
 */
export const migrations: Migration[] = scripts.flatMap((script) =>
  splitStatements(script.sql).map((sql, i) => ({ id: `${script.id}.${String(i + 1).padStart(2, '0')}`, sql })),
);

/** Splits SQL on top-level semicolons, ignoring those in -- comments, quotes and $$ bodies. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  let mode: 'code' | 'dollar' | 'quote' | 'comment' = 'code';
  while (i < sql.length) {
    const two = sql.slice(i, i + 2);
    const ch = sql[i];
    if (mode === 'code' && two === '--') mode = 'comment';
    else if (mode === 'comment' && ch === '\n') mode = 'code';
    else if (mode === 'code' && two === '$$') {
      mode = 'dollar';
      current += two;
      i += 2;
      continue;
    } else if (mode === 'dollar' && two === '$$') {
      mode = 'code';
      current += two;
      i += 2;
      continue;
    } else if (mode === 'code' && ch === "'") mode = 'quote';
    else if (mode === 'quote' && ch === "'") mode = 'code';
    else if (mode === 'code' && ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      i++;
      continue;
    }
    if (mode !== 'comment') current += ch;
    i++;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
