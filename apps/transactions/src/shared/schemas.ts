import { parsePgBigint } from '@pupero/db';
import { z } from 'zod';

/** Shared pieces of the public API's zod schemas. */
export const userRefSchema = z.object({ id: z.string(), username: z.string() });

/** A signed decimal XMR string, as in ledger history ("-0.25"). */
export const signedXmr = z.string().regex(/^-?\d+(\.\d{1,12})?$/);

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
