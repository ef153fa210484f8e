/**
 * HTTP Digest authentication (RFC 7616, MD5, qop=auth) as spoken by monerod and
 * monero-wallet-rpc when started with `--rpc-login user:password`. They send two challenges
 * (algorithm=MD5 and algorithm=MD5-sess); we answer the MD5 one.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm: string;
  /** true: the credentials were right but the nonce/counter was not (answer again). */
  stale: boolean;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parses a (possibly comma-joined, multi-challenge) WWW-Authenticate header. */
export function parseDigestChallenge(header: string | null): DigestChallenge | undefined {
  if (!header) return undefined;
  const challenges = header
    .split(/(?:^|,)\s*(?=Digest\s)/i)
    .map((s) => s.trim())
    .filter((s) => /^Digest\s/i.test(s))
    .map((s) => {
      const params: Record<string, string> = {};
      const re = /([a-zA-Z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.slice(7)))) if (m[1]) params[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
      return params;
    });
  const pick = challenges.find((p) => (p.algorithm ?? 'MD5').toUpperCase() === 'MD5') ?? challenges[0];
  if (!pick || pick.nonce === undefined || pick.realm === undefined) return undefined;
  return {
    realm: pick.realm,
    nonce: pick.nonce,
    qop: pick.qop,
    opaque: pick.opaque,
    algorithm: pick.algorithm ?? 'MD5',
    stale: (pick.stale ?? '').toLowerCase() === 'true',
  };
}

/** Builds the Authorization header for one request. `nc` is the nonce count (1, 2, ...). */
export function digestAuthorization(
  ch: DigestChallenge,
  username: string,
  password: string,
  method: string,
  uri: string,
  nc: number,
  cnonce: string = randomBytes(8).toString('hex'),
): string {
  const ncHex = nc.toString(16).padStart(8, '0');
  let ha1 = md5(`${username}:${ch.realm}:${password}`);
  if (ch.algorithm.toUpperCase() === 'MD5-SESS') ha1 = md5(`${ha1}:${ch.nonce}:${cnonce}`);
  const ha2 = md5(`${method}:${uri}`);
  const useQop = ch.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth');
  const response = useQop ? md5(`${ha1}:${ch.nonce}:${ncHex}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${ch.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${ch.realm}"`,
    `nonce="${ch.nonce}"`,
    `uri="${uri}"`,
    `algorithm=${ch.algorithm}`,
    `response="${response}"`,
  ];
  if (useQop) parts.push('qop=auth', `nc=${ncHex}`, `cnonce="${cnonce}"`);
  if (ch.opaque !== undefined) parts.push(`opaque="${ch.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
