import { PRICE_DECIMALS } from '@pupero/money';

const DECIMAL_RE = /^(\d{1,12})(?:\.(\d+))?$/;

/**
 * A price from outside (config, a ticker's JSON) → fiat per 1 XMR scaled by 10^8, rounded half up
 * to 8 decimals. Undefined unless it is a positive finite number below 10^12.
 */
export function priceFromExternal(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0 || value >= 1e12) return undefined;
    // A JSON number is a double: toFixed gives its decimal value to 9 places, rounded below.
    text = value.toFixed(PRICE_DECIMALS + 1);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const [, whole, frac = ''] = DECIMAL_RE.exec(text) ?? [];
  if (whole === undefined) return undefined; // no match (the group is mandatory)
  const kept = BigInt(whole) * 10n ** BigInt(PRICE_DECIMALS) + BigInt(frac.slice(0, PRICE_DECIMALS).padEnd(PRICE_DECIMALS, '0'));
  const roundUp = frac.charAt(PRICE_DECIMALS) >= '5';
  const scaled = kept + (roundUp ? 1n : 0n);
  return scaled > 0n ? scaled : undefined;
}
