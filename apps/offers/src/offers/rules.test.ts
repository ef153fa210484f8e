import { describe, expect, it } from 'vitest';
import { AppError } from '@pupero/http';
import { applyPatch, draftFromCreate, nextStatus, type CreateInput } from './rules.js';
import type { Offer } from './offer.js';
import { parseFiatPrice } from './pricing.js';

const XMR = 10n ** 12n;
const base: CreateInput = {
  side: 'sell',
  currency: 'EUR',
  paymentMethod: 'sepa',
  priceType: 'fixed',
  price: parseFiatPrice('150'),
  minAmount: XMR / 10n,
  maxAmount: XMR,
  terms: '',
  paymentWindowMinutes: 60,
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return `${error.statusCode} ${error.code}`;
    throw error;
  }
  return undefined;
}

function stored(overrides: Partial<Offer> = {}): Offer {
  return {
    ...draftFromCreate(base),
    id: '00000000-0000-4000-8000-000000000001',
    seq: 1n,
    ownerId: 'u1',
    ownerUsername: 'alice',
    status: 'active',
    createdAt: new Date(),
    updatedAt: new Date(),
    closedAt: null,
    ...overrides,
  };
}

describe('create rules', () => {
  it('accepts a valid fixed and a valid market offer', () => {
    expect(draftFromCreate(base).pricing).toEqual({ type: 'fixed', price: parseFiatPrice('150') });
    expect(draftFromCreate({ ...base, priceType: 'market', price: undefined, marginBp: -150n }).pricing).toEqual({
      type: 'market',
      marginBp: -150n,
    });
  });

  it('names the broken cross-field rule', () => {
    expect(code(() => draftFromCreate({ ...base, price: undefined }))).toBe('400 price_required');
    expect(code(() => draftFromCreate({ ...base, marginBp: 100n }))).toBe('400 margin_not_allowed');
    expect(code(() => draftFromCreate({ ...base, priceType: 'market' }))).toBe('400 price_not_allowed');
    expect(code(() => draftFromCreate({ ...base, priceType: 'market', price: undefined }))).toBe('400 margin_required');
    expect(code(() => draftFromCreate({ ...base, minAmount: XMR * 2n }))).toBe('400 min_above_max');
    expect(code(() => draftFromCreate({ ...base, paymentMethod: 'other' }))).toBe('400 payment_method_detail_required');
    expect(code(() => draftFromCreate({ ...base, paymentMethod: 'other', paymentMethodDetail: 'Local credit union' }))).toBeUndefined();
    expect(code(() => draftFromCreate({ ...base, minAmount: XMR, maxAmount: XMR }))).toBeUndefined();
  });
});

describe('patch rules', () => {
  it('keeps what is not sent and changes what is', () => {
    const draft = applyPatch(stored(), { terms: 'new terms', maxAmount: 2n * XMR });
    expect(draft.terms).toBe('new terms');
    expect(draft.maxAmount).toBe(2n * XMR);
    expect(draft.pricing).toEqual({ type: 'fixed', price: parseFiatPrice('150') });
  });

  it('switches price type, dropping the other kind of price', () => {
    expect(applyPatch(stored(), { priceType: 'market', marginBp: 200n }).pricing).toEqual({ type: 'market', marginBp: 200n });
    const market = stored({ pricing: { type: 'market', marginBp: 200n } });
    expect(applyPatch(market, { priceType: 'fixed', price: parseFiatPrice('155') }).pricing).toEqual({
      type: 'fixed',
      price: parseFiatPrice('155'),
    });
    expect(code(() => applyPatch(stored(), { priceType: 'market' }))).toBe('400 margin_required');
    expect(code(() => applyPatch(market, { priceType: 'fixed' }))).toBe('400 price_required');
    expect(code(() => applyPatch(stored(), { priceType: 'market', marginBp: 1n, price: parseFiatPrice('1') }))).toBe(
      '400 price_not_allowed',
    );
  });

  it('refuses the wrong kind of price without a switch', () => {
    expect(code(() => applyPatch(stored(), { marginBp: 100n }))).toBe('400 margin_not_allowed');
    expect(code(() => applyPatch(stored(), { price: null }))).toBe('400 price_required');
    expect(code(() => applyPatch(stored({ pricing: { type: 'market', marginBp: 0n } }), { price: parseFiatPrice('1') }))).toBe(
      '400 price_not_allowed',
    );
  });

  it('checks the merged amounts and payment method', () => {
    expect(code(() => applyPatch(stored(), { minAmount: 3n * XMR }))).toBe('400 min_above_max');
    expect(code(() => applyPatch(stored(), { paymentMethod: 'other' }))).toBe('400 payment_method_detail_required');
    const other = stored({ paymentMethod: 'other', paymentMethodDetail: 'x' });
    expect(code(() => applyPatch(other, { paymentMethodDetail: null }))).toBe('400 payment_method_detail_required');
  });

  it('never edits or reopens a closed offer', () => {
    const closed = stored({ status: 'closed', closedAt: new Date() });
    expect(code(() => applyPatch(closed, { terms: 'x' }))).toBe('409 offer_closed');
    expect(code(() => nextStatus('closed', 'active'))).toBe('409 offer_closed');
    expect(nextStatus('active', 'paused')).toBe('paused');
    expect(nextStatus('paused', 'active')).toBe('active');
    expect(nextStatus('paused', undefined)).toBe('paused');
    expect(nextStatus('active', 'closed')).toBe('closed');
  });
});
