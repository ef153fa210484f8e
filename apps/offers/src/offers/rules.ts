import { badRequest, conflict } from '../errors.js';
import { formatXmr } from '@pupero/money';
import { OTHER_PAYMENT_METHOD } from '../catalog/payment-methods.js';
import type { Offer, OfferDraft, OfferStatus, Side } from './offer.js';
import type { Pricing } from './pricing.js';

/**
 * The cross-field rules of an offer. Field formats (a valid currency, amounts with at most 12
 * decimals, ...) are checked by the request schemas first; these functions see typed values.
 */

/** A create request after its schema: `price`/`marginBp` present or not as the client sent them. */
export interface CreateInput {
  side: Side;
  currency: string;
  paymentMethod: string;
  paymentMethodDetail?: string;
  priceType: 'fixed' | 'market';
  price?: bigint;
  marginBp?: bigint;
  minAmount: bigint;
  maxAmount: bigint;
  terms: string;
  paymentWindowMinutes: number;
}

/** A PATCH after its schema: undefined = not sent, null = cleared. */
export interface PatchInput {
  paymentMethod?: string;
  paymentMethodDetail?: string | null;
  priceType?: 'fixed' | 'market';
  price?: bigint | null;
  marginBp?: bigint | null;
  minAmount?: bigint;
  maxAmount?: bigint;
  terms?: string;
  paymentWindowMinutes?: number;
  status?: OfferStatus;
}

export function draftFromCreate(input: CreateInput): OfferDraft {
  const draft: OfferDraft = {
    side: input.side,
    currency: input.currency,
    paymentMethod: input.paymentMethod,
    paymentMethodDetail: input.paymentMethodDetail ?? null,
    pricing: pricingOf(input.priceType, input.price, input.marginBp, true),
    minAmount: input.minAmount,
    maxAmount: input.maxAmount,
    terms: input.terms,
    paymentWindowMinutes: input.paymentWindowMinutes,
  };
  checkDraft(draft);
  return draft;
}

/**
 * The offer as it would be after the patch. Switching price_type drops the other kind of price,
 * so `{price_type: "market", margin_percent: "2"}` turns a fixed offer into a market one.
 */
export function applyPatch(current: Offer, patch: PatchInput): OfferDraft {
  if (current.status === 'closed') throw offerClosed();
  const type = patch.priceType ?? current.pricing.type;
  const switching = type !== current.pricing.type;
  const price = patch.price !== undefined ? patch.price : switching || current.pricing.type !== 'fixed' ? undefined : current.pricing.price;
  const marginBp =
    patch.marginBp !== undefined ? patch.marginBp : switching || current.pricing.type !== 'market' ? undefined : current.pricing.marginBp;
  const draft: OfferDraft = {
    side: current.side,
    currency: current.currency,
    paymentMethod: patch.paymentMethod ?? current.paymentMethod,
    paymentMethodDetail: patch.paymentMethodDetail !== undefined ? patch.paymentMethodDetail : current.paymentMethodDetail,
    pricing: pricingOf(type, price ?? undefined, marginBp ?? undefined, switching),
    minAmount: patch.minAmount ?? current.minAmount,
    maxAmount: patch.maxAmount ?? current.maxAmount,
    terms: patch.terms ?? current.terms,
    paymentWindowMinutes: patch.paymentWindowMinutes ?? current.paymentWindowMinutes,
  };
  checkDraft(draft);
  return draft;
}

/** active ⇄ paused; anything → closed; nothing leaves closed (closed offers are history). */
export function nextStatus(current: OfferStatus, requested: OfferStatus | undefined): OfferStatus {
  if (current === 'closed') throw offerClosed();
  return requested ?? current;
}

export function checkDraft(draft: OfferDraft): void {
  if (draft.minAmount > draft.maxAmount) {
    throw badRequest(
      'min_above_max',
      `min_amount (${formatXmr(draft.minAmount)} XMR) must not be above max_amount (${formatXmr(draft.maxAmount)} XMR).`,
      { fields: ['min_amount', 'max_amount'] },
    );
  }
  if (draft.paymentMethod === OTHER_PAYMENT_METHOD && !draft.paymentMethodDetail) {
    throw badRequest(
      'payment_method_detail_required',
      'payment_method "other" needs payment_method_detail: say which payment method you mean.',
      { fields: ['payment_method_detail'] },
    );
  }
}

function pricingOf(type: 'fixed' | 'market', price: bigint | undefined, marginBp: bigint | undefined, explicit: boolean): Pricing {
  const how = explicit ? '' : ` (send price_type: "${type === 'fixed' ? 'market' : 'fixed'}" to switch)`;
  if (type === 'fixed') {
    if (marginBp !== undefined) {
      throw badRequest('margin_not_allowed', `A fixed-price offer has no margin_percent${how}; send price instead.`, {
        fields: ['margin_percent'],
      });
    }
    if (price === undefined)
      throw badRequest('price_required', 'A fixed-price offer needs price (fiat per 1 XMR, e.g. "150.25").', { fields: ['price'] });
    return { type, price };
  }
  if (price !== undefined) {
    throw badRequest('price_not_allowed', `A market-price offer has no price${how}; send margin_percent instead.`, { fields: ['price'] });
  }
  if (marginBp === undefined) {
    throw badRequest(
      'margin_required',
      'A market-price offer needs margin_percent (from -50 to 50, e.g. "2.5" for 2.5 % above the market).',
      {
        fields: ['margin_percent'],
      },
    );
  }
  return { type, marginBp };
}

export function offerClosed() {
  return conflict('offer_closed', 'This offer is closed; closed offers cannot be edited or reopened. Publish a new offer instead.');
}
