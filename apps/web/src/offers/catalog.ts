/** Currencies and payment methods the market offers, loaded once per page load. */
import { useEffect, useState } from 'react';
import type { CurrencyInfo, PaymentMethod, PriceInfo } from '../api/types';
import { api } from '../app/services';

export const FALLBACK_CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'BRL'];

export const FALLBACK_METHODS: PaymentMethod[] = [
  { id: 'sepa', name: 'SEPA bank transfer' },
  { id: 'bank_transfer', name: 'National bank transfer' },
  { id: 'zelle', name: 'Zelle' },
  { id: 'revolut', name: 'Revolut' },
  { id: 'wise', name: 'Wise' },
  { id: 'cash_by_mail', name: 'Cash by mail' },
  { id: 'other', name: 'Other (see details)', needsDetail: true },
];

/** Accepts the shapes a list endpoint may use: {items}, arrays of codes or of {code,label}. */
export function normalisePaymentMethods(value: unknown): PaymentMethod[] {
  const list = Array.isArray(value)
    ? value
    : Array.isArray((value as { items?: unknown })?.items)
      ? (value as { items: unknown[] }).items
      : [];
  return list
    .map((m): PaymentMethod | null => {
      if (typeof m === 'string') return { id: m, name: humanise(m) };
      const o = m as { id?: unknown; code?: unknown; name?: unknown; label?: unknown; needs_detail?: unknown };
      const id = typeof o.code === 'string' ? o.code : typeof o.id === 'string' ? o.id : undefined;
      if (!id) return null;
      const name = typeof o.label === 'string' ? o.label : typeof o.name === 'string' ? o.name : humanise(id);
      return { id, name, ...(o.needs_detail === true ? { needsDetail: true } : {}) };
    })
    .filter((m): m is PaymentMethod => m !== null);
}

function humanise(id: string): string {
  const text = id.replace(/[_-]/g, ' ');
  return text.length <= 4 ? text.toUpperCase() : text.charAt(0).toUpperCase() + text.slice(1);
}

export interface Catalog {
  /** Currencies with a market price first (the usual ones), then the rest. */
  currencies: string[];
  /** Currencies that have a market price right now (market-priced offers need one). */
  marketCurrencies: string[];
  currencyName: (code: string) => string;
  methods: PaymentMethod[];
  prices: PriceInfo | undefined;
  methodName: (id: string, detail?: string) => string;
}

interface Loaded {
  prices?: PriceInfo;
  currencies: CurrencyInfo[];
  methods: PaymentMethod[];
}

let cached: Promise<Loaded> | undefined;

function load(): Promise<Loaded> {
  cached ??= Promise.all([
    api.offers.price().catch(() => undefined),
    api.offers.currencies().catch(() => undefined),
    api.offers.paymentMethods().catch(() => undefined),
  ]).then(([prices, currencies, methods]) => {
    const list = normalisePaymentMethods(methods);
    if (!prices || !currencies || !list.length) cached = undefined; // incomplete: ask again next time
    return { prices, currencies: currencies?.items ?? [], methods: list.length ? list : FALLBACK_METHODS };
  });
  return cached;
}

export function useCatalog(): Catalog {
  const [state, setState] = useState<Loaded>({ currencies: [], methods: FALLBACK_METHODS });
  useEffect(() => {
    let live = true;
    void load().then((value) => live && setState(value));
    return () => {
      live = false;
    };
  }, []);
  const priced = state.prices ? Object.keys(state.prices.prices).sort() : [];
  const all = state.currencies.map((c) => c.code);
  const currencies = priced.length || all.length ? [...new Set([...priced, ...all])] : FALLBACK_CURRENCIES;
  return {
    currencies,
    marketCurrencies: priced,
    currencyName: (code) => state.currencies.find((c) => c.code === code)?.name ?? code,
    methods: state.methods,
    prices: state.prices,
    methodName: (id, detail) => {
      const name = state.methods.find((m) => m.id === id)?.name ?? humanise(id);
      return detail ? `${id === 'other' ? 'Other' : name}: ${detail}` : name;
    },
  };
}
