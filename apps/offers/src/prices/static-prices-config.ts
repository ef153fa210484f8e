import { isCurrencyCode } from '../catalog/currencies.js';
import { priceFromExternal } from './decimal-input.js';

/** PRICES="USD=160,EUR=150.5" → Map of currency → price scaled by 10^8. Throws naming the bad entry. */
export function parseStaticPrices(text: string): Map<string, bigint> {
  const prices = new Map<string, bigint>();
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [code, value, ...rest] = entry.split('=').map((s) => s.trim());
    if (code === undefined || value === undefined || rest.length) throw new Error(`"${entry}" is not CURRENCY=PRICE (e.g. USD=160)`);
    if (!isCurrencyCode(code)) throw new Error(`"${code}" is not an uppercase ISO 4217 currency code`);
    const price = priceFromExternal(value);
    if (price === undefined) throw new Error(`the price of ${code} ("${value}") must be a positive decimal number`);
    if (prices.has(code)) throw new Error(`${code} is listed twice`);
    prices.set(code, price);
  }
  return prices;
}
