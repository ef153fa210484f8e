import type { Migration } from '@pupero/db';

/**
 * The wallet schema: deposit subaddresses, observed deposits, the withdrawal queue (one row per
 * withdrawal, one batch per on-chain transaction), scan checkpoints and the worker lease.
 * One statement per migration: PGlite runs one statement per query.
 */
export const migrations: Migration[] = [
  {
    id: '001_deposit_addresses',
    sql: `
      CREATE TABLE wallet.deposit_addresses (
        user_id text PRIMARY KEY,
        account_index integer NOT NULL DEFAULT 0,
        subaddress_index integer NOT NULL CHECK (subaddress_index > 0),
        address text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_index, subaddress_index)
      )`,
  },
  {
    id: '002_deposits',
    sql: `
      -- One row per (transaction, receiving subaddress): the unit credited exactly once.
      CREATE TABLE wallet.deposits (
        txid text NOT NULL,
        subaddress_index integer NOT NULL,
        user_id text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        block_height bigint,
        unlock_time numeric(20, 0) NOT NULL DEFAULT 0,
        double_spend_seen boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('pending', 'credited', 'rejected', 'dropped')),
        reject_reason text,
        ledger_entry_id text,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        credited_at timestamptz,
        PRIMARY KEY (txid, subaddress_index)
      )`,
  },
  { id: '003_deposits_by_user', sql: 'CREATE INDEX deposits_by_user ON wallet.deposits (user_id, first_seen_at DESC)' },
  { id: '004_deposits_pending', sql: "CREATE INDEX deposits_pending ON wallet.deposits (block_height) WHERE status = 'pending'" },
  {
    id: '005_chain_state',
    sql: `
      CREATE TABLE wallet.chain_state (
        key text PRIMARY KEY,
        height bigint NOT NULL CHECK (height >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
  },
  {
    id: '006_withdrawal_batches',
    sql: `
      -- One row per on-chain transaction; its hash and signed metadata are stored BEFORE relaying.
      CREATE TABLE wallet.withdrawal_batches (
        id text PRIMARY KEY,
        tx_hash text NOT NULL UNIQUE,
        tx_metadata text NOT NULL,
        key_images jsonb NOT NULL DEFAULT '[]',
        total_amount bigint NOT NULL CHECK (total_amount > 0),
        network_fee bigint NOT NULL CHECK (network_fee >= 0),
        status text NOT NULL CHECK (status IN ('signed', 'broadcast', 'confirmed', 'failed')),
        block_height bigint,
        confirmations integer NOT NULL DEFAULT 0,
        relay_attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        broadcast_at timestamptz,
        confirmed_at timestamptz
      )`,
  },
  {
    id: '007_withdrawal_batches_open',
    sql: "CREATE INDEX withdrawal_batches_open ON wallet.withdrawal_batches (created_at) WHERE status IN ('signed', 'broadcast')",
  },
  {
    id: '008_withdrawals',
    sql: `
      CREATE TABLE wallet.withdrawals (
        id text PRIMARY KEY,
        user_id text NOT NULL,
        address text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        fee bigint NOT NULL CHECK (fee >= 0),
        status text NOT NULL CHECK (status IN ('requested', 'queued', 'signed', 'broadcast', 'confirmed', 'failed')),
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        batch_id text REFERENCES wallet.withdrawal_batches (id),
        network_fee bigint CHECK (network_fee >= 0),
        failure_reason text,
        last_error text,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        hold_released_at timestamptz,
        UNIQUE (user_id, idempotency_key),
        CHECK (status NOT IN ('signed', 'broadcast', 'confirmed') OR batch_id IS NOT NULL)
      )`,
  },
  { id: '009_withdrawals_queue', sql: "CREATE INDEX withdrawals_queue ON wallet.withdrawals (created_at) WHERE status = 'queued'" },
  { id: '010_withdrawals_by_user', sql: 'CREATE INDEX withdrawals_by_user ON wallet.withdrawals (user_id, created_at DESC)' },
  { id: '011_withdrawals_by_batch', sql: 'CREATE INDEX withdrawals_by_batch ON wallet.withdrawals (batch_id)' },
  {
    id: '012_worker_lease',
    sql: `
      -- Only the holder of this lease runs the chain work (deposit scan, withdrawal worker).
      CREATE TABLE wallet.worker_lease (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
  },
  {
    id: '013_withdrawals_rejected_status',
    sql: `
      -- 'rejected': the ledger refused the hold (insufficient funds). Kept instead of deleted so a
      -- retry with the same Idempotency-Key can never place a hold that no row accounts for.
      -- Internal only: never shown to users (the request itself answered 409).
      ALTER TABLE wallet.withdrawals DROP CONSTRAINT withdrawals_status_check,
        ADD CONSTRAINT withdrawals_status_check CHECK (status IN ('requested', 'rejected', 'queued', 'signed', 'broadcast', 'confirmed', 'failed'))`,
  },
  {
    id: '014_withdrawals_backoff',
    sql: 'ALTER TABLE wallet.withdrawals ADD COLUMN next_attempt_at timestamptz',
  },
  {
    id: '015_withdrawal_batches_invalidating',
    sql: `
      -- 'invalidating': a signed transaction the daemon refused too often. Its metadata is wiped
      -- (it is never relayed again) and its inputs are spent by a replacement transaction to
      -- ourselves; only when that replacement is deep enough do its withdrawals fail.
      ALTER TABLE wallet.withdrawal_batches DROP CONSTRAINT withdrawal_batches_status_check,
        ADD CONSTRAINT withdrawal_batches_status_check CHECK (status IN ('signed', 'broadcast', 'confirmed', 'failed', 'invalidating')),
        ADD COLUMN relay_failures integer NOT NULL DEFAULT 0,
        ADD COLUMN next_relay_at timestamptz,
        ADD COLUMN invalidate_reason text,
        ADD COLUMN invalidating_since timestamptz,
        ADD COLUMN replacement_tx_hash text`,
  },
  {
    id: '016_withdrawal_admin_actions',
    sql: `
      -- Audit trail of operators' actions on withdrawals (append-only): who, when, what, why.
      CREATE TABLE wallet.withdrawal_admin_actions (
        id bigserial PRIMARY KEY,
        withdrawal_id text NOT NULL REFERENCES wallet.withdrawals (id),
        action text NOT NULL CHECK (action IN ('retry', 'fail')),
        actor_id text NOT NULL,
        reason text NOT NULL,
        status_before text NOT NULL,
        outcome text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  },
  {
    id: '017_withdrawal_batches_dropped',
    sql: `
      -- 'dropped': a transaction that provably never left (unknown to the daemon, an input spent on
      -- chain by another transaction): its withdrawals went back to the queue with their holds kept.
      -- tx_blob: the raw signed transaction, kept with its metadata (wiped with it).
      ALTER TABLE wallet.withdrawal_batches DROP CONSTRAINT withdrawal_batches_status_check,
        ADD CONSTRAINT withdrawal_batches_status_check CHECK (status IN ('signed', 'broadcast', 'confirmed', 'failed', 'invalidating', 'dropped')),
        ADD COLUMN tx_blob text`,
  },
];
