import { z } from 'zod';
import { parseDecimal } from './decimal.js';
import { MAX_ATOMIC, XMR_DECIMALS } from './xmr.js';

/** The text of an XMR amount at the API: digits, at most 12 decimals (sign, exponent, spaces refused). */
export const XMR_AMOUNT_TEXT = /^\d{1,13}(\.\d{1,12})?$/;

/**
 * THE schema of an XMR amount at the API (every service uses it): a decimal string, at most 12
 * decimals, at most what the system can hold, greater than zero unless `allowZero` (fees). Stays a
 * string (`.transform(parseXmr)` for atomic units); never throws. Each message names `field`,
 * because forms show it next to the field.
 */
export function xmrAmountText(field = 'amount', options: { allowZero?: boolean } = {}) {
  const like = options.allowZero ? '"0.25" or "0"' : '"0.25"';
  return z.string({ error: `${field} must be an XMR amount as a string, e.g. "0.25"` }).check((ctx) => {
    if (!XMR_AMOUNT_TEXT.test(ctx.value)) {
      const what = options.allowZero ? 'an XMR amount' : 'a positive XMR amount';
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `${field} must be ${what} like ${like} with at most ${XMR_DECIMALS} decimals`,
      });
    } else if (!options.allowZero && /^0+(\.0+)?$/.test(ctx.value)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${field} must be greater than zero` });
    } else if (parseDecimal(ctx.value, XMR_DECIMALS) > MAX_ATOMIC) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${field} is larger than any XMR amount the system can hold` });
    }
  });
}

/** A strictly positive XMR amount named "amount" (xmrAmountText with its defaults). */
export const xmrAmountString = xmrAmountText();

/** A fiat price: decimal string, positive, at most 8 decimals. */
export const fiatPriceString = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,8})?$/, 'a price like "150.25" with at most 8 decimals')
  .refine((s) => !/^0+(\.0+)?$/.test(s), 'must be greater than zero');
