import { describe, expect, it } from 'vitest';
import { createOfferBody, offerInput, patchOfferBody } from './schemas.js';
import { offerBody } from '../testing/fixtures.js';

const valid = offerBody({ max_amount: '2.5', terms: 'SEPA instant only.\nNo third-party payments.' });

function problems(
  body: unknown,
  schema: {
    safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  } = createOfferBody,
) {
  const result = schema.safeParse(body);
  return result.success ? [] : result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('offer field schemas', () => {
  it('accepts a valid offer and converts amounts and prices exactly', () => {
    const parsed = createOfferBody.parse(valid);
    expect(parsed.min_amount).toBe(100_000_000_000n);
    expect(parsed.max_amount).toBe(2_500_000_000_000n);
    expect(parsed.price).toBe(15_025_000_000n);
    expect(createOfferBody.parse({ ...valid, terms: undefined, payment_window_minutes: undefined })).toMatchObject({
      terms: '',
      payment_window_minutes: 60,
    });
    expect(createOfferBody.parse({ ...valid, min_amount: '0.000000000001' }).min_amount).toBe(1n);
  });

  it('maps a parsed body to the domain names once, for create and patch alike', () => {
    expect(offerInput(createOfferBody.parse(valid))).toEqual({
      side: 'sell',
      currency: 'EUR',
      paymentMethod: 'sepa',
      priceType: 'fixed',
      price: 15_025_000_000n,
      minAmount: 100_000_000_000n,
      maxAmount: 2_500_000_000_000n,
      terms: 'SEPA instant only.\nNo third-party payments.',
      paymentWindowMinutes: 30,
    });
    expect(offerInput(patchOfferBody.parse({ margin_percent: null, status: 'paused' }))).toEqual({ marginBp: null, status: 'paused' });
  });

  // Every field, with each kind of wrong value and the words the message must contain.
  const cases: Array<[string, unknown, RegExp]> = [
    ['side', undefined, /side: side must be "sell".*or "buy"/],
    ['side', 'hold', /side must be "sell"/],
    ['currency', undefined, /currency: currency must be an ISO 4217 code/],
    ['currency', 'eur', /3-letter uppercase ISO 4217 code/],
    ['currency', 'EURO', /3-letter uppercase/],
    ['currency', 'ABC', /"ABC" is not a circulating ISO 4217 currency/],
    ['currency', 'XAU', /not a circulating/],
    ['currency', 42, /currency must be an ISO 4217 code/],
    ['payment_method', 'carrier_pigeon', /payment_method must be one of sepa, .*other/],
    ['payment_method', undefined, /payment_method must be one of/],
    ['payment_method_detail', '', /payment_method_detail must be 1 to 100 characters/],
    ['payment_method_detail', 'x'.repeat(101), /1 to 100 characters/],
    ['payment_method_detail', 'two\nlines', /one line/],
    ['price_type', 'auction', /price_type must be "fixed".*or "market"/],
    ['price_type', undefined, /price_type must be/],
    ['price', '0', /price must be greater than zero/],
    ['price', '-5', /positive price like "150.25"/],
    ['price', '1.123456789', /at most 8 decimals/],
    ['price', 'cheap', /positive price/],
    ['price', 150, /price must be a fiat price per 1 XMR as a string/],
    ['margin_percent', '50.01', /between -50 and 50/],
    ['margin_percent', -51, /between -50 and 50/],
    ['margin_percent', '1.234', /at most 2 decimals/],
    ['margin_percent', 'two', /margin_percent must be a percent/],
    ['margin_percent', true, /margin_percent must be a percent/],
    ['min_amount', '0', /min_amount must be greater than zero/],
    ['min_amount', '-1', /min_amount must be a positive XMR amount/],
    ['min_amount', '0.0000000000001', /at most 12 decimals/],
    ['min_amount', 1, /min_amount must be an XMR amount as a string/],
    ['min_amount', undefined, /min_amount must be an XMR amount/],
    ['max_amount', '1e3', /max_amount must be a positive XMR amount/],
    ['max_amount', '9999999999999', /larger than any XMR amount/],
    ['terms', 'x'.repeat(2001), /terms must be at most 2000 characters \(got 2001\)/],
    ['terms', 'bad\u0000byte', /control characters/],
    ['terms', 12, /terms must be text/],
    ['payment_window_minutes', 14, /from 15 to 1440/],
    ['payment_window_minutes', 1441, /from 15 to 1440/],
    ['payment_window_minutes', 30.5, /whole number of minutes/],
    ['payment_window_minutes', '30', /whole number of minutes/],
  ];

  it.each(cases)('refuses %s = %j with a message naming it', (field, value, message) => {
    const found = problems({ ...valid, [field]: value });
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });

  it('counts terms in characters, not UTF-16 units, and keeps them as written', () => {
    const emoji = '🙂'.repeat(2000);
    expect(createOfferBody.parse({ ...valid, terms: emoji }).terms).toBe(emoji);
    const html = '<script>alert(1)</script> & "quotes"';
    expect(createOfferBody.parse({ ...valid, terms: html }).terms).toBe(html);
  });

  it('refuses unknown fields', () => {
    expect(problems({ ...valid, owner_id: 'someone-else' }).join()).toMatch(/Unrecognized key: "owner_id"/);
  });

  it('patches: at least one field, side and currency fixed, nulls clear', () => {
    expect(problems({}, patchOfferBody).join()).toMatch(/at least one field/);
    expect(problems({ side: 'buy' }, patchOfferBody).join()).toMatch(/side cannot be changed/);
    expect(problems({ currency: 'USD' }, patchOfferBody).join()).toMatch(/currency cannot be changed/);
    expect(problems({ status: 'deleted' }, patchOfferBody).join()).toMatch(/status must be "active", "paused" or "closed"/);
    expect(patchOfferBody.parse({ price: null, margin_percent: '1.5' })).toEqual({ price: null, margin_percent: 150n });
  });
});
