import { createHash } from 'node:crypto';
import { z } from 'zod';
import { badRequest } from '../errors.js';
import { SIDES, type Side } from '../offers/offer.js';

/**
 * Keyset cursors of the order book. A cursor is the position of the last offer of a page:
 * (side, currency, sort key, id), plus a fingerprint of the filters it was made for, encoded as
 * base64url JSON. Clients treat it as opaque.
 */
export interface BookPosition {
  side: Side;
  currency: string;
  /** Exact effective price scaled by 10^12 (see offers/pricing.ts). */
  key: bigint;
  id: string;
}

export interface BookFilters {
  side?: Side;
  currency?: string;
  paymentMethod?: string;
  /** piconero: only offers whose min ≤ amount ≤ max. */
  amount?: bigint;
}

const payloadSchema = z.strictObject({
  v: z.literal(1),
  s: z.enum(SIDES),
  c: z.string().regex(/^[A-Z]{3}$/),
  k: z.string().regex(/^\d{1,40}$/),
  i: z.uuid(),
  f: z.string().regex(/^[0-9a-f]{12}$/),
});

/** Which filters a cursor belongs to: a cursor is refused with other filters. */
export function filtersFingerprint(filters: BookFilters): string {
  const canonical = JSON.stringify([
    filters.side ?? '',
    filters.currency ?? '',
    filters.paymentMethod ?? '',
    filters.amount?.toString() ?? '',
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

export function encodeCursor(position: BookPosition, filters: BookFilters): string {
  const payload = {
    v: 1,
    s: position.side,
    c: position.currency,
    k: position.key.toString(),
    i: position.id,
    f: filtersFingerprint(filters),
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, filters: BookFilters): BookPosition {
  const invalid = () => badRequest('invalid_cursor', 'cursor is not valid: pass the next_cursor of the previous page unchanged.');
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = payloadSchema.safeParse(parsed);
  if (!result.success) throw invalid();
  const { s, c, k, i, f } = result.data;
  if (f !== filtersFingerprint(filters)) {
    throw badRequest(
      'invalid_cursor',
      'cursor belongs to a listing with other filters: keep side, currency, payment_method and amount unchanged while paging.',
    );
  }
  if ((filters.side && filters.side !== s) || (filters.currency && filters.currency !== c)) throw invalid();
  return { side: s, currency: c, key: BigInt(k), id: i };
}
