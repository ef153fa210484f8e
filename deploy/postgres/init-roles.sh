#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is new (/docker-entrypoint-initdb.d): one login role per
# service owning its own schema, and nothing else. Migrations then run as that role.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
REVOKE ALL ON DATABASE "$POSTGRES_DB" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE ROLE login LOGIN PASSWORD '$LOGIN_DB_PASSWORD';
CREATE ROLE offers LOGIN PASSWORD '$OFFERS_DB_PASSWORD';
CREATE ROLE transactions LOGIN PASSWORD '$TRANSACTIONS_DB_PASSWORD';
CREATE ROLE wallet LOGIN PASSWORD '$WALLET_DB_PASSWORD';
GRANT CONNECT ON DATABASE "$POSTGRES_DB" TO login, offers, transactions, wallet;
CREATE SCHEMA login AUTHORIZATION login;
CREATE SCHEMA offers AUTHORIZATION offers;
CREATE SCHEMA transactions AUTHORIZATION transactions;
CREATE SCHEMA wallet AUTHORIZATION wallet;
SQL
