import { isCurrencyCode } from '../catalog/currencies.js';
import { priceFromExternal } from './decimal-input.js';

/**
 * Where the prices are in a ticker's JSON answer. Two forms:
 * - a dot path to an object keyed by currency (any case), e.g. "monero" for CoinGecko's
 *   {"monero": {"usd": 160.1, "eur": 150.2}} ("" or "." = the root object);
 * - explicit paths per currency, e.g. "USD=data.rates.usd,EUR=data.rates.eur".
 */
export type JsonMapping = { kind: 'object'; path: string[] } | { kind: 'explicit'; entries: Array<[string, string[]]> };

export function parseJsonMapping(text: string): JsonMapping {
  const trimmed = text.trim();
  if (!trimmed.includes('=')) return { kind: 'object', path: splitPath(trimmed) };
  const entries: Array<[string, string[]]> = [];
  for (const entry of trimmed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [code, path, ...rest] = entry.split('=').map((s) => s.trim());
    if (code === undefined || !path || rest.length) throw new Error(`"${entry}" is not CURRENCY=json.path (e.g. USD=monero.usd)`);
    if (!isCurrencyCode(code)) throw new Error(`"${code}" is not an uppercase ISO 4217 currency code`);
    entries.push([code, splitPath(path)]);
  }
  if (!entries.length) throw new Error('the mapping names no currency');
  return { kind: 'explicit', entries };
}

function splitPath(path: string): string[] {
  return path === '' || path === '.' ? [] : path.split('.');
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Extracts prices (scaled by 10^8) from a parsed JSON document. Entries that are missing or not
 * positive numbers are skipped; the caller decides whether what is left is enough.
 */
export function extractPrices(document: unknown, mapping: JsonMapping): Map<string, bigint> {
  const prices = new Map<string, bigint>();
  if (mapping.kind === 'explicit') {
    for (const [code, path] of mapping.entries) {
      const price = priceFromExternal(at(document, path));
      if (price !== undefined) prices.set(code, price);
    }
    return prices;
  }
  const object = at(document, mapping.path);
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return prices;
  for (const [key, value] of Object.entries(object)) {
    const code = key.toUpperCase();
    if (!isCurrencyCode(code)) continue;
    const price = priceFromExternal(value);
    if (price !== undefined) prices.set(code, price);
  }
  return prices;
}
