import { formatDecimal, mulDivRound, parseDecimal } from './decimal.js';
import { PICONERO_PER_XMR } from './xmr.js';

/** Fiat prices carry up to 8 decimals internally; fiat totals are shown with 2. */
export const PRICE_DECIMALS = 8;
const PRICE_UNIT = 10n ** BigInt(PRICE_DECIMALS);

export function parsePrice(text: string): bigint {
  return parseDecimal(text, PRICE_DECIMALS);
}

export function formatPrice(scaled: bigint): string {
  return formatDecimal(roundTo(scaled, PRICE_DECIMALS, 2), PRICE_DECIMALS, 2);
}

/** Fiat owed for `atomic` XMR at `price` (scaled price per 1 XMR), rounded to cents. */
export function fiatTotal(atomic: bigint, priceScaled: bigint): string {
  const scaled = mulDivRound(atomic, priceScaled, PICONERO_PER_XMR);
  return formatDecimal(roundTo(scaled, PRICE_DECIMALS, 2), PRICE_DECIMALS, 2);
}

/** price * (1 + margin/100) where margin is a decimal string like "-2.5". */
export function applyMargin(priceScaled: bigint, marginPercent: string): bigint {
  const negative = marginPercent.trim().startsWith('-');
  const magnitude = parseDecimal(marginPercent.trim().replace(/^[-+]/, ''), 4);
  const basisFactor = 1_000_000n + (negative ? -magnitude : magnitude); // 100% = 10^6 at scale 4
  if (basisFactor < 0n) throw new RangeError('margin below -100%');
  return mulDivRound(priceScaled, basisFactor, 1_000_000n);
}

function roundTo(value: bigint, scale: number, digits: number): bigint {
  const step = 10n ** BigInt(scale - digits);
  return ((value + step / 2n) / step) * step;
}

export { PRICE_UNIT };
