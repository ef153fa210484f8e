import type { Offer } from '../api/types';

/** What the viewer does when taking an offer: a "sell" offer lets them buy XMR, and vice versa. */
export function takerAction(offer: Pick<Offer, 'side'>): 'buy' | 'sell' {
  return offer.side === 'sell' ? 'buy' : 'sell';
}

export function priceText(offer: Offer): string {
  if (offer.price_type === 'market') {
    const margin = offer.margin_percent ?? '0';
    const signed = margin.startsWith('-') ? margin : `+${margin}`;
    return `market ${signed}%`;
  }
  return 'fixed price';
}
