import { describe, expect, it } from 'vitest';
import { normalisePaymentMethod } from './payment-methods.js';
import { paymentMethod } from '../offers/schemas.js';

describe('payment method names', () => {
  it('maps the usual spellings to the code', () => {
    expect(normalisePaymentMethod('SEPA')).toBe('sepa');
    expect(normalisePaymentMethod('Cash by mail')).toBe('cash_by_mail');
    expect(normalisePaymentMethod('cash-by-mail')).toBe('cash_by_mail');
    expect(normalisePaymentMethod(' Zelle ')).toBe('zelle');
    expect(normalisePaymentMethod('SEPA bank transfer')).toBe('sepa');
    expect(normalisePaymentMethod('International wire (SWIFT)')).toBe('swift');
  });

  it('leaves unknown names alone so the schema refuses them', () => {
    expect(normalisePaymentMethod('carrier pigeon')).toBe('carrier pigeon');
    expect(normalisePaymentMethod(42)).toBe(42);
    expect(paymentMethod.safeParse('carrier pigeon').success).toBe(false);
    expect(paymentMethod.safeParse('Revolut').data).toBe('revolut');
  });
});
