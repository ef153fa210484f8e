import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals secrets stored in the database (TOTP secrets, private signing keys) with AES-256-GCM when
 * LOGIN_SECRETS_KEY is set, so a database dump alone does not hand them out. The `context` (e.g.
 * "totp:<user id>") is bound as associated data: a sealed value copied to another row does not open.
 * Without a key values are stored as "plain:<value>"; once a key is set, new values are sealed
 * and old plain ones stay readable.
 */
export interface SecretBox {
  readonly encrypting: boolean;
  seal(value: string, context: string): string;
  open(stored: string, context: string): string;
}

const PLAIN = 'plain:';
const V1 = 'v1:';

export class SecretBoxError extends Error {}

export function createSecretBox(keyBase64?: string): SecretBox {
  const key = keyBase64 ? Buffer.from(keyBase64, 'base64') : undefined;
  if (key && key.length !== 32) throw new SecretBoxError('LOGIN_SECRETS_KEY must be 32 bytes in base64');
  return {
    encrypting: key !== undefined,
    seal(value, context) {
      if (!key) return PLAIN + value;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return V1 + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    },
    open(stored, context) {
      if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
      if (!stored.startsWith(V1)) throw new SecretBoxError('stored secret has an unknown format');
      if (!key) throw new SecretBoxError('a stored secret is encrypted: set LOGIN_SECRETS_KEY to the key it was sealed with');
      const [iv, tag, body] = stored
        .slice(V1.length)
        .split('.')
        .map((p) => Buffer.from(p, 'base64url'));
      if (!iv || !tag || !body) throw new SecretBoxError('stored secret has an unknown format');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('a stored secret does not open with LOGIN_SECRETS_KEY (wrong key, or the value was moved)');
      }
    },
  };
}
