import type { Migration } from '@pupero/db';

/**
 * The login schema. Secrets are stored hashed (refresh tokens, recovery codes) or sealed (TOTP
 * secrets, private signing keys). One statement per migration: PGlite runs one statement per query.
 */
export const migrations: Migration[] = [
  {
    id: '001_users',
    sql: `
      CREATE TABLE login.users (
        id uuid PRIMARY KEY,
        username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        -- TOTP: the enabled secret (sealed), and the one offered by /2fa/setup until it is confirmed.
        totp_secret text,
        totp_enabled_at timestamptz,
        -- Highest accepted TOTP time step: a code of that step or earlier is never accepted again.
        totp_last_step bigint,
        totp_pending_secret text,
        totp_pending_at timestamptz,
        CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL))
      )`,
  },
  {
    id: '002_users_username_key',
    sql: `
      -- Usernames are unique regardless of case ("Alice" and "alice" are the same account).
      CREATE UNIQUE INDEX users_username_lower_key ON login.users (lower(username))`,
  },
  {
    id: '003_user_roles',
    sql: `
      -- Every user has the role "user"; extra roles are rows here.
      CREATE TABLE login.user_roles (
        user_id uuid NOT NULL REFERENCES login.users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('moderator', 'admin')),
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, role)
      )`,
  },
  {
    id: '004_recovery_codes',
    sql: `
      CREATE TABLE login.recovery_codes (
        user_id uuid NOT NULL REFERENCES login.users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`,
  },
  {
    id: '005_sessions',
    sql: `
      -- A session is one login: the family of refresh tokens that rotate from it.
      CREATE TABLE login.sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES login.users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_refreshed_at timestamptz,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        ip text,
        user_agent text
      )`,
  },
  {
    id: '006_sessions_user_active_idx',
    sql: `
      CREATE INDEX sessions_user_active_idx ON login.sessions (user_id) WHERE revoked_at IS NULL`,
  },
  {
    id: '007_refresh_tokens',
    sql: `
      CREATE TABLE login.refresh_tokens (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES login.sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        -- Set when the token was exchanged for a new one; presenting it again is reuse.
        rotated_at timestamptz
      )`,
  },
  {
    id: '008_refresh_tokens_session_idx',
    sql: `
      CREATE INDEX refresh_tokens_session_idx ON login.refresh_tokens (session_id)`,
  },
  {
    id: '009_signing_keys',
    sql: `
      CREATE TABLE login.signing_keys (
        kid text PRIMARY KEY,
        public_jwk jsonb NOT NULL,
        private_jwk text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  },
  {
    id: '010_throttle',
    sql: `
      -- Failed-attempt counters shared by every replica (scope: login:account, login:ip, 2fa:account, 2fa:ip).
      CREATE TABLE login.throttle (
        scope text NOT NULL,
        key text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        window_started_at timestamptz,
        last_failure_at timestamptz,
        lockouts integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        PRIMARY KEY (scope, key)
      )`,
  },
  {
    id: '011_security_events',
    sql: `
      CREATE TABLE login.security_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- NULL for failed logins of usernames that do not exist.
        user_id uuid REFERENCES login.users (id) ON DELETE CASCADE,
        type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ip text,
        user_agent text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`,
  },
  {
    id: '012_security_events_user_idx',
    sql: `
      CREATE INDEX security_events_user_idx ON login.security_events (user_id, id DESC)`,
  },
];
