import { z } from 'zod';
import { parseDecimal, XMR_DECIMALS, xmrAmountText } from '@pupero/money';
import { isCurrencyCode } from '../catalog/currencies.js';
import { normalisePaymentMethod, PAYMENT_METHOD_CODES } from '../catalog/payment-methods.js';
import { OFFER_STATUSES, SIDES } from './offer.js';
import { MARGIN_LIMIT_BP, MARGIN_LIMIT_PERCENT, parseFiatPrice, parseMarginBp } from './pricing.js';

/**
 * Field schemas of offers. Each message names the field and says what a good value looks like,
 * because it is shown to the person filling in the form.
 */

/** An XMR amount as a decimal string → piconero (bigint): @pupero/money's one amount schema. */
export const xmrAmount = (field: string) => xmrAmountText(field).transform((s) => parseDecimal(s, XMR_DECIMALS));

const PRICE_RE = /^\d{1,12}(\.\d{1,8})?$/;
/** A fiat price per 1 XMR as a decimal string → scaled by 10^8. */
export const fiatPrice = (field: string) =>
  z
    .string({ error: `${field} must be a fiat price per 1 XMR as a string, e.g. "150.25"` })
    .check((ctx) => {
      if (!PRICE_RE.test(ctx.value)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${field} must be a positive price like "150.25" with at most 8 decimals`,
        });
      } else if (/^0+(\.0+)?$/.test(ctx.value)) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: `${field} must be greater than zero` });
      }
    })
    .transform(parseFiatPrice);

export const side = z.enum(SIDES, { error: 'side must be "sell" (you sell XMR) or "buy" (you buy XMR)' });

export const currency = z.string({ error: 'currency must be an ISO 4217 code as a string, e.g. "EUR"' }).check((ctx) => {
  if (!/^[A-Z]{3}$/.test(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `currency must be a 3-letter uppercase ISO 4217 code like "EUR" (got "${ctx.value.slice(0, 16)}")`,
    });
  } else if (!isCurrencyCode(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `currency "${ctx.value}" is not a circulating ISO 4217 currency; see GET /offers/currencies`,
    });
  }
});

export const paymentMethod = z.preprocess(
  normalisePaymentMethod,
  z.enum(PAYMENT_METHOD_CODES, {
    error: `payment_method must be one of ${PAYMENT_METHOD_CODES.join(', ')} (see GET /offers/payment-methods)`,
  }),
);

// Control characters other than tab and line breaks have no place in text people read (and NUL
// cannot be stored at all).
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const codePoints = (s: string) => [...s].length;

export const TERMS_MAX = 2000;
export const terms = z.string({ error: 'terms must be text' }).check((ctx) => {
  if (codePoints(ctx.value) > TERMS_MAX) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `terms must be at most ${TERMS_MAX} characters (got ${codePoints(ctx.value)})`,
    });
  } else if (CONTROL.test(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: 'terms must not contain control characters (only text, tabs and line breaks)',
    });
  }
});

export const DETAIL_MAX = 100;
export const paymentMethodDetail = z
  .string({ error: 'payment_method_detail must be text, e.g. "Local credit union transfer"' })
  .check((ctx) => {
    const n = codePoints(ctx.value.trim());
    if (n === 0 || n > DETAIL_MAX) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `payment_method_detail must be 1 to ${DETAIL_MAX} characters` });
    } else if (CONTROL.test(ctx.value) || LINE_BREAK.test(ctx.value)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: 'payment_method_detail must be one line of text' });
    }
  });

export const priceType = z.enum(['fixed', 'market'], {
  error: 'price_type must be "fixed" (send price) or "market" (send margin_percent)',
});

/** A percent above (+) or below (−) the market price; a string or a number, at most 2 decimals. */
export const marginPercent = z
  .union([z.string(), z.number()], { error: 'margin_percent must be a percent like "2.5" or "-1.25"' })
  .check((ctx) => {
    const bp = parseMarginBp(typeof ctx.value === 'number' ? String(ctx.value) : ctx.value);
    if (bp === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'margin_percent must be a percent like "2.5" or "-1.25" with at most 2 decimals',
      });
    } else if (bp < -MARGIN_LIMIT_BP || bp > MARGIN_LIMIT_BP) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `margin_percent must be between -${MARGIN_LIMIT_PERCENT} and ${MARGIN_LIMIT_PERCENT}`,
      });
    }
  })
  .transform((v) => parseMarginBp(typeof v === 'number' ? String(v) : v)!);

export const PAYMENT_WINDOW_MIN = 15;
export const PAYMENT_WINDOW_MAX = 1440;
export const paymentWindowMinutes = z
  .number({ error: `payment_window_minutes must be a whole number of minutes from ${PAYMENT_WINDOW_MIN} to ${PAYMENT_WINDOW_MAX}` })
  .check((ctx) => {
    if (!Number.isInteger(ctx.value) || ctx.value < PAYMENT_WINDOW_MIN || ctx.value > PAYMENT_WINDOW_MAX) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `payment_window_minutes must be a whole number of minutes from ${PAYMENT_WINDOW_MIN} to ${PAYMENT_WINDOW_MAX}`,
      });
    }
  });

export const DEFAULT_PAYMENT_WINDOW_MINUTES = 60;

export const createOfferBody = z.strictObject({
  side,
  currency,
  payment_method: paymentMethod,
  payment_method_detail: paymentMethodDetail.optional(),
  price_type: priceType,
  price: fiatPrice('price').optional(),
  margin_percent: marginPercent.optional(),
  min_amount: xmrAmount('min_amount'),
  max_amount: xmrAmount('max_amount'),
  terms: terms.default(''),
  payment_window_minutes: paymentWindowMinutes.default(DEFAULT_PAYMENT_WINDOW_MINUTES),
});

const notEditable = (field: string) => z.never({ error: `${field} cannot be changed; close this offer and publish a new one` }).optional();

export const patchOfferBody = z
  .strictObject({
    payment_method: paymentMethod.optional(),
    payment_method_detail: paymentMethodDetail.nullable().optional(),
    price_type: priceType.optional(),
    price: fiatPrice('price').nullable().optional(),
    margin_percent: marginPercent.nullable().optional(),
    min_amount: xmrAmount('min_amount').optional(),
    max_amount: xmrAmount('max_amount').optional(),
    terms: terms.optional(),
    payment_window_minutes: paymentWindowMinutes.optional(),
    status: z.enum(OFFER_STATUSES, { error: 'status must be "active", "paused" or "closed"' }).optional(),
    side: notEditable('side'),
    currency: notEditable('currency'),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'send at least one field to change' });

/** The domain's name of each request field (rules.ts CreateInput / PatchInput). */
const DOMAIN_NAMES = {
  side: 'side',
  currency: 'currency',
  payment_method: 'paymentMethod',
  payment_method_detail: 'paymentMethodDetail',
  price_type: 'priceType',
  price: 'price',
  margin_percent: 'marginBp',
  min_amount: 'minAmount',
  max_amount: 'maxAmount',
  terms: 'terms',
  payment_window_minutes: 'paymentWindowMinutes',
  status: 'status',
} as const;

type DomainNamed<B> = { [K in keyof B as K extends keyof typeof DOMAIN_NAMES ? (typeof DOMAIN_NAMES)[K] : never]: B[K] };

/**
 * A parsed create or patch body in the domain's field names: the one place where the API's names
 * are mapped (a create body becomes a CreateInput, a patch body a PatchInput).
 */
export function offerInput<B extends object>(body: B): DomainNamed<B> {
  return Object.fromEntries(
    Object.entries(body).flatMap(([key, value]) => (key in DOMAIN_NAMES ? [[DOMAIN_NAMES[key as keyof typeof DOMAIN_NAMES], value]] : [])),
  ) as DomainNamed<B>;
}

// ---- responses ----

export const reputationSchema = z
  .object({
    completed_trades: z.number().int(),
    volume: z.string().describe('XMR traded in completed trades'),
    feedback: z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int() }),
  })
  .nullable()
  .describe('From the Transactions API; null when it cannot be reached right now');

export const offerSchema = z
  .object({
    id: z.string(),
    owner: z.object({ id: z.string(), username: z.string(), reputation: reputationSchema }),
    side: z.enum(SIDES).describe('What the owner does with XMR: sell = the owner sells XMR, a taker buys'),
    currency: z.string(),
    payment_method: z.string(),
    payment_method_detail: z.string().optional(),
    price_type: z.enum(['fixed', 'market']),
    price: z.string().optional().describe('Fixed offers: fiat per 1 XMR'),
    margin_percent: z.string().optional().describe('Market offers: percent above (+) or below (-) the market price'),
    effective_price: z
      .string()
      .nullable()
      .describe(
        'Fiat per 1 XMR a trade starts at now: the fixed price, or the market price with the margin; null if no market price is known',
      ),
    min_amount: z.string(),
    max_amount: z.string(),
    terms: z.string().describe('Plain text exactly as written by the owner: never render it as HTML'),
    payment_window_minutes: z.number().int(),
    status: z.enum(OFFER_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
    closed_at: z.string().optional(),
  })
  .meta({ id: 'Offer' });

export type OfferJson = z.infer<typeof offerSchema>;
