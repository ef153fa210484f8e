import { formatDecimal, parseDecimal, PRICE_DECIMALS } from '@pupero/money';

/**
 * Price arithmetic of offers, exact in bigint:
 * - fiat prices are scaled by 10^8 (PRICE_DECIMALS), e.g. "150.25" → 15025000000n;
 * - margins are basis points (hundredths of a percent), e.g. "-2.5" → -250n;
 * - the sort key of an offer is its exact effective price scaled by 10^12, so a market price
 *   times (1 + margin) needs no rounding: price_s8 × (10000 + margin_bp).
 */
export const SORT_KEY_SCALE = 12;
const BP_PER_UNIT = 10_000n;
const KEY_PER_PRICE = 10n ** BigInt(SORT_KEY_SCALE - PRICE_DECIMALS); // 10^4

export const MARGIN_LIMIT_PERCENT = 50;
export const MARGIN_LIMIT_BP = BigInt(MARGIN_LIMIT_PERCENT * 100);
const MARGIN_RE = /^([+-])?(\d{1,2})(?:\.(\d{1,2}))?$/;

/** "-2.5" → -250n; undefined when not a percent with at most 2 decimals. Range is checked by the caller. */
export function parseMarginBp(text: string): bigint | undefined {
  const [, sign, whole, frac = ''] = MARGIN_RE.exec(text.trim()) ?? [];
  if (whole === undefined) return undefined; // no match (the group is mandatory)
  const magnitude = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
  return sign === '-' ? -magnitude : magnitude;
}

export function formatMargin(bp: bigint): string {
  return formatDecimal(bp, 2);
}

export function parseFiatPrice(text: string): bigint {
  return parseDecimal(text, PRICE_DECIMALS);
}

/** Fiat prices at the API: at least 2 decimals ("150.00"), up to 8 when they carry them. */
export function formatFiatPrice(scaled: bigint): string {
  return formatDecimal(scaled, PRICE_DECIMALS, 2);
}

export type Pricing = { type: 'fixed'; price: bigint } | { type: 'market'; marginBp: bigint };

/** Exact effective price scaled by 10^12; undefined for a market offer without a market price. */
export function sortKey(pricing: Pricing, marketPrice: bigint | undefined): bigint | undefined {
  if (pricing.type === 'fixed') return pricing.price * KEY_PER_PRICE;
  if (marketPrice === undefined) return undefined;
  return marketPrice * (BP_PER_UNIT + pricing.marginBp);
}

/**
 * What a taker pays/gets per 1 XMR (scaled by 10^8): the fixed price, or the market price with
 * the margin applied, rounded half up to 8 decimals.
 */
export function effectivePrice(pricing: Pricing, marketPrice: bigint | undefined): bigint | undefined {
  const key = sortKey(pricing, marketPrice);
  if (key === undefined) return undefined;
  return (key + KEY_PER_PRICE / 2n) / KEY_PER_PRICE;
}

/**
 * Bounds the index range scan of market offers after a cursor. Market offers have
 * key = price_s8 × (10000 + margin_bp), increasing in the margin, so:
 * - ascending (keys ≥ key wanted): margin_bp ≥ ceil(key / price_s8) − 10000;
 * - descending (keys ≤ key wanted): margin_bp ≤ floor(key / price_s8) − 10000.
 * The exact (key, id) comparison is still applied; this only makes the scan start at the cursor.
 */
export function marginBoundForKey(key: bigint, marketPrice: bigint, order: 'asc' | 'desc'): bigint {
  if (marketPrice <= 0n) throw new RangeError('market price must be positive');
  const quotient = order === 'asc' ? (key + marketPrice - 1n) / marketPrice : key / marketPrice;
  const bp = quotient - BP_PER_UNIT;
  // Keys far outside the margin limits mean "all" or "none" of the market offers: clamp just
  // outside the limits so the bound stays a small valid numeric(5,2).
  if (bp < -MARGIN_LIMIT_BP - 1n) return -MARGIN_LIMIT_BP - 1n;
  if (bp > MARGIN_LIMIT_BP + 1n) return MARGIN_LIMIT_BP + 1n;
  return bp;
}
