import { describe, expect, it } from 'vitest';
import { changedFields, checkOffer, EMPTY_OFFER } from './offerForm';

const valid = { ...EMPTY_OFFER, price: '150.5', min_amount: '0.1', max_amount: '2' };

describe('offer form', () => {
  it('builds the request body from valid values', () => {
    expect(checkOffer(valid)).toEqual({
      errors: {},
      input: {
        side: 'sell',
        currency: 'EUR',
        payment_method: 'sepa',
        price_type: 'fixed',
        price: '150.5',
        min_amount: '0.1',
        max_amount: '2',
        terms: '',
        payment_window_minutes: 60,
      },
    });
    expect(checkOffer({ ...valid, price_type: 'market', margin_percent: '-1.5' }).input).toMatchObject({
      price_type: 'market',
      margin_percent: '-1.5',
    });
  });

  it('names each bad field', () => {
    const { errors, input } = checkOffer({ ...valid, price: '0', min_amount: '3', max_amount: '2', payment_window_minutes: '5' });
    expect(input).toBeUndefined();
    expect(errors).toEqual({
      price: 'The price must be greater than zero.',
      max_amount: 'The maximum must be at least the minimum.',
      payment_window_minutes: 'Between 15 and 1440 minutes.',
    });
  });

  it('compares limits exactly, not as floats', () => {
    expect(checkOffer({ ...valid, min_amount: '0.300000000001', max_amount: '0.3' }).errors.max_amount).toBeDefined();
    expect(checkOffer({ ...valid, min_amount: '0.3', max_amount: '0.300000000001' }).errors).toEqual({});
  });

  it('needs a description for the "other" payment method', () => {
    expect(checkOffer({ ...valid, payment_method: 'other' }).errors).toEqual({
      payment_method_detail: 'Say which payment method you mean.',
    });
    expect(checkOffer({ ...valid, payment_method: 'other', payment_method_detail: ' Local credit union ' }).input).toMatchObject({
      payment_method: 'other',
      payment_method_detail: 'Local credit union',
    });
  });

  it('patches only what changed, never the side or currency', () => {
    const before = checkOffer(valid).input!;
    const after = checkOffer({ ...valid, side: 'buy', currency: 'USD', max_amount: '3' }).input!;
    expect(changedFields(before, after)).toEqual({ max_amount: '3' });
    const withDetail = checkOffer({ ...valid, payment_method: 'other', payment_method_detail: 'x' }).input!;
    expect(changedFields(withDetail, before)).toEqual({ payment_method: 'sepa', payment_method_detail: null });
    const toMarket = checkOffer({ ...valid, price_type: 'market', margin_percent: '2' }).input!;
    expect(changedFields(before, toMarket)).toEqual({ price_type: 'market', margin_percent: '2' });
  });
});
