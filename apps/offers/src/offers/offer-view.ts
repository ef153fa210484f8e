import { formatXmr } from '@pupero/money';
import type { OffersContext } from '../context.js';
import type { Reputation } from '../reputation/client.js';
import type { PriceSnapshot } from '../prices/provider.js';
import type { Offer } from './offer.js';
import type { OfferJson } from './schemas.js';
import { effectivePrice, formatFiatPrice, formatMargin } from './pricing.js';

/** An offer as the public API shows it. */
export function offerView(offer: Offer, prices: PriceSnapshot, reputation: Reputation | null): OfferJson {
  const effective = effectivePrice(offer.pricing, prices.prices.get(offer.currency)?.price);
  return {
    id: offer.id,
    owner: { id: offer.ownerId, username: offer.ownerUsername, reputation },
    side: offer.side,
    currency: offer.currency,
    payment_method: offer.paymentMethod,
    ...(offer.paymentMethodDetail !== null ? { payment_method_detail: offer.paymentMethodDetail } : {}),
    price_type: offer.pricing.type,
    ...(offer.pricing.type === 'fixed'
      ? { price: formatFiatPrice(offer.pricing.price) }
      : { margin_percent: formatMargin(offer.pricing.marginBp) }),
    effective_price: effective === undefined ? null : formatFiatPrice(effective),
    min_amount: formatXmr(offer.minAmount),
    max_amount: formatXmr(offer.maxAmount),
    terms: offer.terms,
    payment_window_minutes: offer.paymentWindowMinutes,
    status: offer.status,
    created_at: offer.createdAt.toISOString(),
    updated_at: offer.updatedAt.toISOString(),
    ...(offer.closedAt ? { closed_at: offer.closedAt.toISOString() } : {}),
  };
}

/** Offers as the API shows them: priced with one price snapshot, owners' reputation in one call. */
export async function viewOffers(
  ctx: Pick<OffersContext, 'prices' | 'reputation'>,
  offers: readonly Offer[],
  options: { requestId?: string; snapshot?: PriceSnapshot; withReputation?: boolean } = {},
): Promise<OfferJson[]> {
  if (!offers.length) return [];
  const snapshot = options.snapshot ?? (await ctx.prices.snapshot());
  const reputations =
    options.withReputation === false
      ? new Map<string, Reputation | null>()
      : await ctx.reputation.forUsers(
          offers.map((o) => o.ownerId),
          options.requestId,
        );
  return offers.map((offer) => offerView(offer, snapshot, reputations.get(offer.ownerId) ?? null));
}

export async function viewOffer(ctx: Pick<OffersContext, 'prices' | 'reputation'>, offer: Offer, requestId?: string): Promise<OfferJson> {
  const [view] = await viewOffers(ctx, [offer], { requestId });
  if (!view) throw new Error(`no view for offer ${offer.id}`); // viewOffers maps each offer it is given
  return view;
}
