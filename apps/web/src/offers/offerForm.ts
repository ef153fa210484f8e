/** The offer form's values and checks (pure: unit-tested). */
import type { Offer, OfferInput, OfferSide, PaymentMethodCode } from '../api/types';
import { checkMarginInput, checkPriceInput, checkXmrInput } from '../money/amount';

export interface OfferFormValues {
  side: OfferSide;
  currency: string;
  payment_method: string;
  payment_method_detail: string;
  price_type: 'fixed' | 'market';
  price: string;
  margin_percent: string;
  min_amount: string;
  max_amount: string;
  terms: string;
  payment_window_minutes: string;
}

export const EMPTY_OFFER: OfferFormValues = {
  side: 'sell',
  currency: 'EUR',
  payment_method: 'sepa',
  payment_method_detail: '',
  price_type: 'fixed',
  price: '',
  margin_percent: '0',
  min_amount: '',
  max_amount: '',
  terms: '',
  payment_window_minutes: '60',
};

export const TERMS_MAX = 2000;
export const DETAIL_MAX = 100;
/** The payment method whose offers must say what they mean (payment_method_detail). */
export const OTHER_METHOD = 'other';

export function valuesFromOffer(o: Offer): OfferFormValues {
  return {
    side: o.side,
    currency: o.currency,
    payment_method: o.payment_method,
    payment_method_detail: o.payment_method_detail ?? '',
    price_type: o.price_type,
    price: o.price ?? '',
    margin_percent: o.margin_percent ?? '0',
    min_amount: o.min_amount,
    max_amount: o.max_amount,
    terms: o.terms ?? '',
    payment_window_minutes: String(o.payment_window_minutes),
  };
}

/** Field problems in plain words, or the request body when everything is fine. */
export function checkOffer(v: OfferFormValues): { errors: Record<string, string>; input?: OfferInput } {
  const errors: Record<string, string> = {};
  if (!/^[A-Z]{3}$/.test(v.currency)) errors.currency = 'Choose a currency.';
  if (!v.payment_method) errors.payment_method = 'Choose a payment method.';
  const detail = v.payment_method_detail.trim();
  if (v.payment_method === OTHER_METHOD && !detail) errors.payment_method_detail = 'Say which payment method you mean.';
  if (detail.length > DETAIL_MAX) errors.payment_method_detail = `At most ${DETAIL_MAX} characters.`;
  const price = v.price_type === 'fixed' ? checkPriceInput(v.price) : undefined;
  if (price && !price.ok) errors.price = price.message;
  const margin = v.price_type === 'market' ? checkMarginInput(v.margin_percent) : undefined;
  if (margin && !margin.ok) errors.margin_percent = margin.message;
  const min = checkXmrInput(v.min_amount);
  const max = checkXmrInput(v.max_amount);
  if (!min.ok) errors.min_amount = min.message;
  if (!max.ok) errors.max_amount = max.message;
  if (min.ok && max.ok && min.atomic > max.atomic) errors.max_amount = 'The maximum must be at least the minimum.';
  const window = Number(v.payment_window_minutes);
  if (!/^\d+$/.test(v.payment_window_minutes) || window < 15 || window > 1440)
    errors.payment_window_minutes = 'Between 15 and 1440 minutes.';
  if (v.terms.length > TERMS_MAX) errors.terms = `At most ${TERMS_MAX} characters.`;
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    input: {
      side: v.side,
      currency: v.currency,
      // A code from the server's own list (the select offers nothing else); the server still checks it.
      payment_method: v.payment_method as PaymentMethodCode,
      ...(detail ? { payment_method_detail: detail } : {}),
      price_type: v.price_type,
      ...(v.price_type === 'fixed' ? { price: price!.ok ? price!.text : '' } : { margin_percent: margin!.ok ? margin!.text : '0' }),
      min_amount: min.ok ? min.text : '',
      max_amount: max.ok ? max.text : '',
      terms: v.terms,
      payment_window_minutes: window,
    },
  };
}

/** Fields a published offer keeps for good (the Offers API refuses them in PATCH). */
const FIXED_FIELDS: (keyof OfferInput)[] = ['side', 'currency'];

/** Only what changed, for PATCH (the price field matching the price type is always sent with it). */
export function changedFields(before: OfferInput, after: OfferInput): Partial<OfferInput> & { payment_method_detail?: string | null } {
  const patch: Partial<Record<keyof OfferInput, unknown>> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof OfferInput)[]);
  for (const key of keys) {
    if (FIXED_FIELDS.includes(key)) continue;
    if (after[key] !== before[key]) patch[key] = after[key] ?? null;
  }
  // The kind of price not in use is never sent: switching price_type drops it on the server.
  if (after.price_type === 'fixed') delete patch.margin_percent;
  else delete patch.price;
  if (patch.price_type) {
    if (after.price_type === 'fixed') patch.price = after.price;
    else patch.margin_percent = after.margin_percent;
  }
  return patch as Partial<OfferInput> & { payment_method_detail?: string | null };
}
