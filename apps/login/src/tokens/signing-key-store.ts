import type { Queryable } from '@pupero/db';
import type { JWK } from 'jose';

/** A signing key as stored: the private JWK is sealed (SecretBox); the keyring opens it. */
export interface SigningKeyRow {
  kid: string;
  public_jwk: JWK | string;
  private_jwk: string;
  created_at: Date;
}

const CREATE_LOCK = 'pupero-login:signing-key';

/** Serialises key creation across replicas until the end of the transaction `tx` (replicas starting together must not each make a key). */
export async function lockKeyCreation(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CREATE_LOCK]);
}

export async function listSigningKeys(q: Queryable): Promise<SigningKeyRow[]> {
  const { rows } = await q.query<SigningKeyRow>('SELECT kid, public_jwk, private_jwk, created_at FROM login.signing_keys');
  return rows;
}

export async function insertSigningKey(q: Queryable, key: { kid: string; publicJwk: JWK; sealedPrivateJwk: string }): Promise<void> {
  await q.query('INSERT INTO login.signing_keys (kid, public_jwk, private_jwk) VALUES ($1, $2::jsonb, $3)', [
    key.kid,
    JSON.stringify(key.publicJwk),
    key.sealedPrivateJwk,
  ]);
}
