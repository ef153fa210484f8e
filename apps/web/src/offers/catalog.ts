/** Currencies and payment methods the market offers, loaded once per page load. */
import { useEffect, useState } from 'react';
import type { PaymentMethod, PriceInfo } from '../api/types';
import { api } from '../app/services';

export const FALLBACK_CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'BRL'];

export const FALLBACK_METHODS: PaymentMethod[] = [
  { id: 'sepa', name: 'SEPA bank transfer' },
  { id: 'bank_transfer', name: 'Bank transfer' },
  { id: 'zelle', name: 'Zelle' },
  { id: 'revolut', name: 'Revolut' },
  { id: 'wise', name: 'Wise' },
  { id: 'cash_by_mail', name: 'Cash by mail' },
  { id: 'other', name: 'Other' },
];

/** Accepts the shapes a list endpoint may use: {items}, {methods}, arrays of strings or objects. */
export function normalisePaymentMethods(value: unknown): PaymentMethod[] {
  const list = Array.isArray(value)
    ? value
    : Array.isArray((value as { items?: unknown })?.items)
      ? (value as { items: unknown[] }).items
      : Array.isArray((value as { methods?: unknown })?.methods)
        ? (value as { methods: unknown[] }).methods
        : [];
  return list
    .map((m): PaymentMethod | null => {
      if (typeof m === 'string') return { id: m, name: humanise(m) };
      const o = m as { id?: unknown; code?: unknown; name?: unknown; label?: unknown };
      const id = typeof o.id === 'string' ? o.id : typeof o.code === 'string' ? o.code : undefined;
      if (!id) return null;
      const name = typeof o.name === 'string' ? o.name : typeof o.label === 'string' ? o.label : humanise(id);
      return { id, name };
    })
    .filter((m): m is PaymentMethod => m !== null);
}

function humanise(id: string): string {
  const text = id.replace(/[_-]/g, ' ');
  return text.length <= 4 ? text.toUpperCase() : text.charAt(0).toUpperCase() + text.slice(1);
}

export interface Catalog {
  currencies: string[];
  methods: PaymentMethod[];
  prices: PriceInfo | undefined;
  methodName(id: string): string;
}

let cached: Promise<{ prices?: PriceInfo; methods: PaymentMethod[] }> | undefined;

function load() {
  cached ??= Promise.all([api.offers.price().catch(() => undefined), api.offers.paymentMethods().catch(() => undefined)]).then(([prices, methods]) => {
    const list = normalisePaymentMethods(methods);
    if (!prices && !list.length) cached = undefined; // try again next time
    return { prices, methods: list.length ? list : FALLBACK_METHODS };
  });
  return cached;
}

export function useCatalog(): Catalog {
  const [state, setState] = useState<{ prices?: PriceInfo; methods: PaymentMethod[] }>({ methods: FALLBACK_METHODS });
  useEffect(() => {
    let live = true;
    void load().then((value) => live && setState(value));
    return () => {
      live = false;
    };
  }, []);
  const currencies = state.prices ? Object.keys(state.prices.prices).sort() : FALLBACK_CURRENCIES;
  return {
    currencies: currencies.length ? currencies : FALLBACK_CURRENCIES,
    methods: state.methods,
    prices: state.prices,
    methodName: (id: string) => state.methods.find((m) => m.id === id)?.name ?? humanise(id),
  };
}
