import type { OffersContext } from '../context.js';
import type { PriceSnapshot } from '../prices/provider.js';
import type { Reputation } from '../reputation/client.js';
import type { Offer } from './offer.js';
import { presentOffer } from './present.js';
import type { OfferJson } from './schemas.js';

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
  return offers.map((offer) => presentOffer(offer, snapshot, reputations.get(offer.ownerId) ?? null));
}

export async function viewOffer(ctx: Pick<OffersContext, 'prices' | 'reputation'>, offer: Offer, requestId?: string): Promise<OfferJson> {
  return (await viewOffers(ctx, [offer], { requestId }))[0];
}
