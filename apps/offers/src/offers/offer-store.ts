import { randomUUID } from 'node:crypto';
import { one, type Queryable } from '@pupero/db';
import { PRICE_DECIMALS, formatDecimal } from '@pupero/money';
import type { Offer, OfferDraft, OfferStatus, Side } from './offer.js';
import { formatMargin, parseFiatPrice, parseMarginBp } from './pricing.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SQL of the offers table. Thin: rules live in rules.ts, presentation in present.ts. */

export interface OfferRow {
  id: string;
  seq: bigint;
  owner_id: string;
  owner_username: string;
  side: Side;
  currency: string;
  payment_method: string;
  payment_method_detail: string | null;
  price_type: 'fixed' | 'market';
  price: string | null;
  margin_percent: string | null;
  min_amount: bigint;
  max_amount: bigint;
  terms: string;
  payment_window_minutes: number;
  status: OfferStatus;
  created_at: Date | string;
  updated_at: Date | string;
  closed_at: Date | string | null;
}

export const OFFER_COLUMNS = `id, seq, owner_id, owner_username, side, currency, payment_method, payment_method_detail,
  price_type, price, margin_percent, min_amount, max_amount, terms, payment_window_minutes, status,
  created_at, updated_at, closed_at`;

export function offerFromRow(row: OfferRow): Offer {
  return {
    id: row.id,
    seq: BigInt(row.seq),
    ownerId: row.owner_id,
    ownerUsername: row.owner_username,
    side: row.side,
    currency: row.currency,
    paymentMethod: row.payment_method,
    paymentMethodDetail: row.payment_method_detail,
    pricing:
      row.price_type === 'fixed'
        ? { type: 'fixed', price: parseFiatPrice(row.price!) }
        : { type: 'market', marginBp: parseMarginBp(row.margin_percent!)! },
    minAmount: BigInt(row.min_amount),
    maxAmount: BigInt(row.max_amount),
    terms: row.terms,
    paymentWindowMinutes: Number(row.payment_window_minutes),
    status: row.status,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
  };
}

/** The draft as SQL parameters $1.. in the column order of INSERT_COLUMNS. */
export function draftParams(draft: OfferDraft): unknown[] {
  return [
    draft.side,
    draft.currency,
    draft.paymentMethod,
    draft.paymentMethodDetail,
    draft.pricing.type,
    draft.pricing.type === 'fixed' ? formatDecimal(draft.pricing.price, PRICE_DECIMALS) : null,
    draft.pricing.type === 'market' ? formatMargin(draft.pricing.marginBp) : null,
    draft.minAmount,
    draft.maxAmount,
    draft.terms,
    draft.paymentWindowMinutes,
  ];
}

export const INSERT_COLUMNS = `id, owner_id, owner_username, status, side, currency, payment_method, payment_method_detail,
  price_type, price, margin_percent, min_amount, max_amount, terms, payment_window_minutes`;

export interface NewOffer {
  ownerId: string;
  ownerUsername: string;
  draft: OfferDraft;
  status?: 'active' | 'paused';
}

export async function insertOffer(q: Queryable, offer: NewOffer): Promise<Offer> {
  const row = await one<OfferRow>(
    q,
    `INSERT INTO offers.offers (${INSERT_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     RETURNING ${OFFER_COLUMNS}`,
    [randomUUID(), offer.ownerId, offer.ownerUsername, offer.status ?? 'active', ...draftParams(offer.draft)],
  );
  return offerFromRow(row);
}

export async function findOffer(q: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Offer | undefined> {
  if (!UUID_RE.test(id)) return undefined; // not an id we ever issued
  const { rows } = await q.query<OfferRow>(
    `SELECT ${OFFER_COLUMNS} FROM offers.offers WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? offerFromRow(rows[0]) : undefined;
}

export async function updateOffer(q: Queryable, id: string, draft: OfferDraft, status: OfferStatus): Promise<Offer> {
  const row = await one<OfferRow>(
    q,
    `UPDATE offers.offers SET
       side = $2, currency = $3, payment_method = $4, payment_method_detail = $5, price_type = $6, price = $7,
       margin_percent = $8, min_amount = $9, max_amount = $10, terms = $11, payment_window_minutes = $12,
       status = $13, updated_at = now(),
       closed_at = CASE WHEN $13 = 'closed' THEN coalesce(closed_at, now()) ELSE NULL END
     WHERE id = $1
     RETURNING ${OFFER_COLUMNS}`,
    [id, ...draftParams(draft), status],
  );
  return offerFromRow(row);
}

/** Active and paused offers of one owner: what MAX_OPEN_OFFERS_PER_USER limits. */
export async function countOpenOffers(q: Queryable, ownerId: string): Promise<number> {
  const { n } = await one<{ n: bigint }>(q, `SELECT count(*)::bigint AS n FROM offers.offers WHERE owner_id = $1 AND status <> 'closed'`, [
    ownerId,
  ]);
  return Number(n);
}

/** Serialises offer creation per owner so the open-offer limit holds under concurrency. */
export async function lockOwner(q: Queryable, ownerId: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`pupero-offers-owner:${ownerId}`]);
}

/** One owner's offers, newest first, keyset on seq. */
export async function listOwnerOffers(
  q: Queryable,
  ownerId: string,
  options: { status?: OfferStatus; beforeSeq?: bigint; limit: number },
): Promise<Offer[]> {
  const params: unknown[] = [ownerId];
  let where = 'owner_id = $1';
  if (options.status) {
    params.push(options.status);
    where += ` AND status = $${params.length}`;
  }
  if (options.beforeSeq !== undefined) {
    params.push(options.beforeSeq);
    where += ` AND seq < $${params.length}`;
  }
  params.push(options.limit);
  const { rows } = await q.query<OfferRow>(
    `SELECT ${OFFER_COLUMNS} FROM offers.offers WHERE ${where} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(offerFromRow);
}
