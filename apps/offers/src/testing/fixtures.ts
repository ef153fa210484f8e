import { one, type Queryable } from '@pupero/db';

/** A valid create-offer body; tests override what they exercise. */
export function offerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    side: 'sell',
    currency: 'EUR',
    payment_method: 'sepa',
    price_type: 'fixed',
    price: '150.25',
    min_amount: '0.1',
    max_amount: '2',
    terms: 'SEPA instant only.',
    payment_window_minutes: 30,
    ...overrides,
  };
}

/** A valid create-offer body for a market-price offer at `marginPercent` (the currency needs a market price). */
export function marketOfferBody(marginPercent: string | number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return offerBody({ price_type: 'market', price: undefined, margin_percent: marginPercent, ...overrides });
}

export async function countOffers(q: Queryable): Promise<number> {
  const { n } = await one<{ n: bigint }>(q, 'SELECT count(*)::bigint AS n FROM offers.offers');
  return Number(n);
}
