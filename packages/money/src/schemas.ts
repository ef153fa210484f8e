import { z } from 'zod';
import { parseDecimal } from './decimal.js';
import { MAX_ATOMIC, XMR_DECIMALS } from './xmr.js';

/** An XMR amount at the API: a decimal string with at most 12 decimals, strictly positive. */
export const xmrAmountString = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,12})?$/, `an XMR amount like "0.25" with at most ${XMR_DECIMALS} decimals`)
  .refine((s) => !/^\d{1,13}(\.\d{1,12})?$/.test(s) || parseDecimal(s, XMR_DECIMALS) > 0n, 'must be greater than zero')
  .refine((s) => !/^\d{1,13}(\.\d{1,12})?$/.test(s) || parseDecimal(s, XMR_DECIMALS) <= MAX_ATOMIC, 'is larger than the system can hold');

/** A fiat price: decimal string, positive, at most 8 decimals. */
export const fiatPriceString = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,8})?$/, 'a price like "150.25" with at most 8 decimals')
  .refine((s) => !/^0+(\.0+)?$/.test(s), 'must be greater than zero');
