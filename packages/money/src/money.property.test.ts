import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalFormatError, formatDecimal, parseDecimal } from './decimal.js';
import { fiatTotal, formatPrice, parsePrice, PRICE_DECIMALS } from './fiat.js';
import { fiatPriceString, xmrAmountString } from './schemas.js';
import { formatXmr, MAX_ATOMIC, parseXmr, PICONERO_PER_XMR, XMR_DECIMALS } from './xmr.js';

// Seeded and bounded: the same cases every run (a failure prints its seed and path to replay).
const runs = { seed: 13, numRuns: 1000 };

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** Decimal strings as a client might send them: leading zeros, trailing zeros, no fraction. */
const decimalText = fc
  .tuple(digits(1, 13), fc.option(digits(1, 12), { nil: undefined }))
  .map(([w, f]) => (f === undefined ? w : `${w}.${f}`));
/** Anything a JSON string could hold, biased towards near-misses of a decimal. */
const nearMiss = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom(...'0123456789.-+eE ,_\u0660\uff11'), maxLength: 20 }),
  decimalText.map((s) => ` ${s}`),
  decimalText.map((s) => `${s}.`),
  decimalText.map((s) => `-${s}`),
  decimalText.map((s) => `${s}e3`),
);

/** The canonical form of a decimal string: no leading zeros in the whole part, none trailing in the fraction. */
function canonical(text: string): string {
  const [whole = '', frac = ''] = text.split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = frac.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

describe('money parsing and formatting (property-based)', () => {
  it('format then parse is the identity on every atomic amount the system holds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_ATOMIC }), (atomic) => {
        const text = formatXmr(atomic);
        expect(text).toMatch(/^\d+(\.\d{1,12})?$/);
        expect(parseXmr(text)).toBe(atomic);
      }),
      runs,
    );
  });

  it('parse then format gives the canonical decimal, exactly (no JS number on the way)', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const [w = '', f = ''] = text.split('.');
        const exact = BigInt(w) * PICONERO_PER_XMR + BigInt(f.padEnd(XMR_DECIMALS, '0'));
        if (exact > MAX_ATOMIC) return void expect(() => parseXmr(text)).toThrow(RangeError);
        const atomic = parseXmr(text);
        expect(typeof atomic).toBe('bigint');
        expect(formatXmr(atomic)).toBe(canonical(text));
        // The exact value, computed digit by digit from the text.
        expect(atomic).toBe(exact);
      }),
      runs,
    );
  });

  it('the API schema accepts exactly the positive amounts with at most 12 decimals the system can hold, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(decimalText, nearMiss), (text) => {
        const result = xmrAmountString.safeParse(text);
        let expected = false;
        if (/^\d{1,13}(\.\d{1,12})?$/.test(text)) {
          const value = parseDecimal(text, XMR_DECIMALS);
          expected = value > 0n && value <= MAX_ATOMIC;
        }
        expect(result.success).toBe(expected);
      }),
      runs,
    );
  });

  it('parsing rejects with DecimalFormatError what is not a plain decimal (signs, exponents, separators, other digits)', () => {
    fc.assert(
      fc.property(nearMiss, (text) => {
        if (/^\d{1,30}(\.\d{1,12})?$/.test(text.trim())) return;
        expect(() => parseXmr(text)).toThrow(DecimalFormatError);
      }),
      runs,
    );
    expect(() => parseXmr('1.0000000000001')).toThrow(/more than 12 decimal places/);
    expect(() => parseXmr(formatDecimal(MAX_ATOMIC + 1n, XMR_DECIMALS))).toThrow(RangeError);
  });

  it('prices: the schema and the parser agree, and formatting rounds half up to cents', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(digits(1, 12), fc.option(digits(1, 8), { nil: undefined })).map(([w, f]) => (f === undefined ? w : `${w}.${f}`)),
          nearMiss,
        ),
        (text) => {
          const ok = fiatPriceString.safeParse(text).success;
          if (!ok) return;
          const scaled = parsePrice(text);
          expect(scaled > 0n).toBe(true);
          const cents = (scaled + 500_000n) / 1_000_000n;
          expect(formatPrice(scaled)).toBe(`${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`);
        },
      ),
      runs,
    );
  });

  it('fiat totals are the exact product rounded half up to cents', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.bigInt({ min: 0n, max: 10n ** 20n }), (atomic, price) => {
        // exact: atomic * price / 10^(12+8) currency units; in cents, half up.
        const denominator = PICONERO_PER_XMR * 10n ** BigInt(PRICE_DECIMALS);
        const centsTimesDen = atomic * price * 100n;
        // fiatTotal rounds twice (to the 8-decimal scale, then to cents): at most one cent apart from a single rounding.
        const single = (centsTimesDen + denominator / 2n) / denominator;
        const total = fiatTotal(atomic, price);
        expect(total).toMatch(/^\d+\.\d{2}$/);
        const got = BigInt(total.replace('.', ''));
        expect(got - single <= 1n && single - got <= 1n).toBe(true);
      }),
      runs,
    );
  });
});
