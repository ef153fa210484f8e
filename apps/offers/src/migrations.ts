import type { Migration } from '@pupero/db';

/**
 * The offers schema. Amounts are bigint piconero; prices numeric(20,8) (fiat per 1 XMR);
 * margins numeric(5,2) percent. The order book indexes are partial (active offers only) and split
 * by price type: fixed offers are read in price order, market offers in margin order (their
 * effective price = market price × (1 + margin/100) is increasing in the margin), and the listing
 * merges the two streams. So a listing page is an index range scan, whatever the market price.
 *
 * One statement per migration: PGlite runs parameterless queries as prepared statements, which
 * hold a single command. They all apply in one transaction (see migrate()).
 */
export const migrations: Migration[] = [
  {
    id: '001_01_offers_table',
    sql: `
CREATE TABLE offers.offers (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  owner_id text NOT NULL,
  owner_username text NOT NULL,
  side text NOT NULL CHECK (side IN ('sell', 'buy')),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  payment_method text NOT NULL CHECK (payment_method ~ '^[a-z][a-z0-9_]{1,39}$'),
  payment_method_detail text CHECK (char_length(payment_method_detail) BETWEEN 1 AND 100),
  price_type text NOT NULL CHECK (price_type IN ('fixed', 'market')),
  price numeric(20, 8) CHECK (price > 0),
  margin_percent numeric(5, 2) CHECK (margin_percent BETWEEN -50 AND 50),
  min_amount bigint NOT NULL CHECK (min_amount > 0),
  max_amount bigint NOT NULL,
  terms text NOT NULL DEFAULT '' CHECK (char_length(terms) <= 2000),
  payment_window_minutes integer NOT NULL CHECK (payment_window_minutes BETWEEN 15 AND 1440),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  CHECK (min_amount <= max_amount),
  CHECK ((price_type = 'fixed' AND price IS NOT NULL AND margin_percent IS NULL)
      OR (price_type = 'market' AND margin_percent IS NOT NULL AND price IS NULL)),
  CHECK (payment_method <> 'other' OR payment_method_detail IS NOT NULL),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
)`,
  },
  {
    id: '001_02_offers_fixed_book',
    sql: `
CREATE INDEX offers_fixed_book ON offers.offers (side, currency, price, id)
  WHERE status = 'active' AND price_type = 'fixed'`,
  },
  {
    id: '001_03_offers_market_book',
    sql: `
CREATE INDEX offers_market_book ON offers.offers (side, currency, margin_percent, id)
  WHERE status = 'active' AND price_type = 'market'`,
  },
  {
    id: '001_04_offers_fixed_book_by_method',
    sql: `
CREATE INDEX offers_fixed_book_by_method ON offers.offers (side, currency, payment_method, price, id)
  WHERE status = 'active' AND price_type = 'fixed'`,
  },
  {
    id: '001_05_offers_market_book_by_method',
    sql: `
CREATE INDEX offers_market_book_by_method ON offers.offers (side, currency, payment_method, margin_percent, id)
  WHERE status = 'active' AND price_type = 'market'`,
  },
  {
    id: '001_06_offers_by_owner',
    sql: `
CREATE INDEX offers_by_owner ON offers.offers (owner_id, seq)`,
  },
  {
    id: '001_07_price_quotes_table',
    sql: `
-- Price quotes per source: the static provider's admin-set prices (kept across restarts) and the
-- HTTP provider's last good values (so a restart while the ticker is down still has prices).
CREATE TABLE offers.price_quotes (
  source text NOT NULL CHECK (source IN ('static', 'http')),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  price numeric(20, 8) NOT NULL CHECK (price > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text,
  PRIMARY KEY (source, currency)
)`,
  },
];
