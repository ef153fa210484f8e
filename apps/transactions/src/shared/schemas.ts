import { parsePgBigint } from '@pupero/db';
import { z } from 'zod';
import { MAX_ATOMIC, formatXmr } from '@pupero/money';

/** Shared pieces of the public API's zod schemas. */
export const userRefSchema = z.object({ id: z.string(), username: z.string() });

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Standard error responses, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorSchema]));
}

export const bearer = [{ bearerAuth: [] }];

/** A signed decimal XMR string, as in ledger history ("-0.25"). */
export const signedXmr = z.string().regex(/^-?\d+(\.\d{1,12})?$/);

const XMR_TEXT = /^\d{1,13}(\.\d{1,12})?$/;

/** The XMR amount, or undefined when the text is not one the ledger can hold (never throws). */
function atomicOf(text: string): bigint | undefined {
  if (!XMR_TEXT.test(text)) return undefined;
  const [whole = '', frac = ''] = text.split('.'); // XMR_TEXT guarantees the whole part
  const value = BigInt(whole) * 10n ** 12n + BigInt(frac.padEnd(12, '0'));
  return value <= MAX_ATOMIC ? value : undefined;
}

/**
 * A strictly positive XMR amount (at most 12 decimals, at most what a bigint holds). Unlike
 * @pupero/money's xmrAmountString, an amount too large for the ledger is a 400, not an exception.
 */
export const xmrAmount = z
  .string()
  .regex(XMR_TEXT, 'an XMR amount like "0.25" with at most 12 decimals')
  .refine((s) => (atomicOf(s) ?? 0n) > 0n, `must be greater than zero and at most ${formatXmr(MAX_ATOMIC)}`);

/** Zero or more XMR (fees may be zero), at most 12 decimals. */
export const xmrAmountOrZero = z
  .string()
  .regex(XMR_TEXT, 'an XMR amount like "0.25" or "0" with at most 12 decimals')
  .refine((s) => atomicOf(s) !== undefined, `must be at most ${formatXmr(MAX_ATOMIC)}`);

export const opaqueId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'an id of letters, digits and . _ : -');

export const limitQuery = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const cursorQuery = z
  .string()
  .refine((s) => parsePgBigint(s) !== undefined, 'a cursor from next_cursor')
  .optional();

/** Control characters other than tab and line breaks (NUL cannot even be stored). */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * User-written text: trimmed, 1..max characters, stored and returned exactly as text (never
 * HTML). Control characters other than tabs and line breaks are refused.
 */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters (only text, tabs and line breaks)');
