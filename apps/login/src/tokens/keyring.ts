import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { Db } from '@pupero/db';
import { TOKEN_ALGORITHM } from '@pupero/auth';
import type { SecretBox } from '../shared/secret-box.js';
import { insertSigningKey, listSigningKeys, lockKeyCreation } from './signing-key-store.js';
import { KEY_RELOAD_SECONDS, publishedKeys, rotationDue, signingKey } from './key-schedule.js';

interface LoadedKey {
  kid: string;
  createdAt: Date;
  publicJwk: JWK;
  privateKey: CryptoKey;
}

/**
 * The Ed25519 key pairs that sign access tokens, kept in login.signing_keys (private halves sealed)
 * so restarts and replicas share them. Made on first start; rotated when the newest is older than
 * the rotation period. Every replica reloads the set at least once a minute.
 */
export class KeyRing {
  private keys: LoadedKey[] = [];
  private loadedAt = 0;
  private version = 0;

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly options: {
      tokenLifetimeSeconds: number;
      rotationDays: number;
      /** At most one reload per this many ms for unknown key ids (made-up kids must not hammer the database). */
      unknownKidReloadMs?: number;
    },
  ) {}

  /** Loads the keys, making the first one (or a rotated one) when due. */
  async init(): Promise<void> {
    await this.reload();
    if (rotationDue(this.keys, new Date(), this.options.rotationDays)) await this.rotate({ onlyIfDue: true });
  }

  /** Makes a new signing key now (it signs from now on; older keys stay published until their tokens expire). */
  async rotate(options: { onlyIfDue?: boolean } = {}): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = JSON.stringify(await exportJWK(privateKey));
    const created = await this.db.transaction(async (tx) => {
      await lockKeyCreation(tx);
      if (options.onlyIfDue) {
        const rows = await listSigningKeys(tx);
        if (
          !rotationDue(
            rows.map((r) => ({ kid: r.kid, createdAt: r.created_at })),
            new Date(),
            this.options.rotationDays,
          )
        )
          return false;
      }
      await insertSigningKey(tx, {
        kid,
        publicJwk: { ...publicJwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' },
        sealedPrivateJwk: this.box.seal(privateJwk, `signing-key:${kid}`),
      });
      return true;
    });
    await this.reload();
    return created ? kid : signingKey(this.keys)!.kid;
  }

  async reload(): Promise<void> {
    const rows = await listSigningKeys(this.db);
    const known = new Map(this.keys.map((k) => [k.kid, k]));
    const next: LoadedKey[] = [];
    for (const row of rows) {
      const existing = known.get(row.kid);
      if (existing) {
        next.push(existing);
        continue;
      }
      const privateJwk = JSON.parse(this.box.open(row.private_jwk, `signing-key:${row.kid}`)) as JWK;
      const publicJwk = typeof row.public_jwk === 'string' ? (JSON.parse(row.public_jwk) as JWK) : row.public_jwk;
      next.push({
        kid: row.kid,
        createdAt: row.created_at,
        publicJwk,
        privateKey: (await importJWK(privateJwk, TOKEN_ALGORITHM)) as CryptoKey,
      });
    }
    if (next.length !== this.keys.length || next.some((k) => !known.has(k.kid))) this.version++;
    this.keys = next;
    this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt > KEY_RELOAD_SECONDS * 1000) await this.reload();
  }

  /** The key that signs new tokens. */
  async signer(): Promise<{ kid: string; key: CryptoKey }> {
    await this.fresh();
    const key = signingKey(this.keys);
    if (!key) throw new Error('no signing key: the key ring was not initialised');
    return { kid: key.kid, key: key.privateKey };
  }

  /** The public keys other services verify with (GET /auth/.well-known/jwks.json). */
  async jwks(): Promise<JSONWebKeySet> {
    await this.fresh();
    return { keys: publishedKeys(this.keys, new Date(), this.options.tokenLifetimeSeconds).map((k) => k.publicJwk) };
  }

  /** Reloads when a token names a key this replica has not seen (another replica rotated). */
  async ensureKnown(kid: string | undefined): Promise<void> {
    const minInterval = this.options.unknownKidReloadMs ?? 5000;
    if (kid && !this.keys.some((k) => k.kid === kid) && Date.now() - this.loadedAt >= minInterval) await this.reload();
  }

  /** Changes whenever the set of keys changes (lets callers cache what they derive from it). */
  get generation(): number {
    return this.version;
  }
}
