import { randomUUID } from 'node:crypto';
import type { Queryable } from '@pupero/db';
import { PRICE_DECIMALS } from '@pupero/money';
import { PAYMENT_METHOD_CODES } from '../catalog/payment-methods.js';
import type { OfferDraft, OfferStatus } from '../offers/offer.js';
import { draftParams } from '../offers/offer-store.js';

/**
 * Bulk offers for tests and benchmarks: deterministic pseudo-random drafts and a batched insert
 * (one INSERT … SELECT FROM unnest per 1,000 rows) that writes through the real table and its
 * constraints.
 */
export interface SeedOffer {
  id?: string;
  ownerId: string;
  ownerUsername: string;
  status?: OfferStatus;
  draft: OfferDraft;
}

export interface RandomOfferOptions {
  currencies?: string[];
  owners?: number;
  /** Share of market-priced offers, 0..1. */
  marketShare?: number;
  seed?: number;
}

const XMR = 10n ** 12n;

export function randomOffers(n: number, options: RandomOfferOptions = {}): SeedOffer[] {
  const currencies = options.currencies ?? ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
  const owners = options.owners ?? 50;
  const marketShare = options.marketShare ?? 0.5;
  let state = options.seed ?? 1;
  const rand = () => {
    // mulberry32: small, fast, deterministic.
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rand() * items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  };
  const offers: SeedOffer[] = [];
  for (let i = 0; i < n; i++) {
    const owner = Math.floor(rand() * owners);
    const minAmount = BigInt(1 + Math.floor(rand() * 100)) * (XMR / 100n); // 0.01 .. 1 XMR
    const maxAmount = minAmount + BigInt(Math.floor(rand() * 500)) * (XMR / 100n); // up to +5 XMR
    const market = rand() < marketShare;
    const paymentMethod = pick(PAYMENT_METHOD_CODES);
    offers.push({
      ownerId: `seed-user-${owner}`,
      ownerUsername: `seed_user_${owner}`,
      draft: {
        side: rand() < 0.5 ? 'sell' : 'buy',
        currency: pick(currencies),
        paymentMethod,
        paymentMethodDetail: paymentMethod === 'other' ? 'Seeded other method' : null,
        // Few distinct prices/margins on purpose: many ties exercise the id tie-break.
        pricing: market
          ? { type: 'market', marginBp: BigInt(Math.floor(rand() * 41) - 20) * 25n }
          : {
              type: 'fixed',
              price:
                BigInt(100 + Math.floor(rand() * 200)) * 10n ** BigInt(PRICE_DECIMALS) + BigInt(Math.floor(rand() * 4)) * 25n * 10n ** 6n,
            },
        minAmount,
        maxAmount,
        terms: `Seeded offer ${i}`,
        paymentWindowMinutes: 15 + Math.floor(rand() * 120),
      },
    });
  }
  return offers;
}

export async function insertOffers(q: Queryable, offers: readonly SeedOffer[], batchSize = 1000): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < offers.length; start += batchSize) {
    const batch = offers.slice(start, start + batchSize);
    const columns: unknown[][] = Array.from({ length: 15 }, () => []);
    for (const offer of batch) {
      const id = offer.id ?? randomUUID();
      ids.push(id);
      // The draft's columns as insertOffer writes them; the amounts as text in the unnest arrays.
      const draft = draftParams(offer.draft).map((v) => (typeof v === 'bigint' ? v.toString() : v));
      const values = [id, offer.ownerId, offer.ownerUsername, offer.status ?? 'active', ...draft];
      values.forEach((v, i) => (columns[i] ??= []).push(v));
    }
    await q.query(
      `INSERT INTO offers.offers (id, owner_id, owner_username, status, side, currency, payment_method, payment_method_detail,
         price_type, price, margin_percent, min_amount, max_amount, terms, payment_window_minutes, closed_at)
       SELECT id, owner_id, owner_username, status, side, currency, payment_method, payment_method_detail,
         price_type, price, margin_percent, min_amount, max_amount, terms, payment_window_minutes,
         CASE WHEN status = 'closed' THEN now() END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::numeric[], $11::numeric[], $12::bigint[], $13::bigint[], $14::text[], $15::int[])
         AS t(id, owner_id, owner_username, status, side, currency, payment_method, payment_method_detail,
           price_type, price, margin_percent, min_amount, max_amount, terms, payment_window_minutes)`,
      columns,
    );
  }
  return ids;
}
