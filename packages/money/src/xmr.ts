import { formatDecimal, parseDecimal } from './decimal.js';

/** 1 XMR = 10^12 piconero (atomic units). */
export const XMR_DECIMALS = 12;
export const PICONERO_PER_XMR = 10n ** BigInt(XMR_DECIMALS);
/** Largest value a PostgreSQL bigint holds: ~9,223,372 XMR in atomic units. */
export const MAX_ATOMIC = 9_223_372_036_854_775_807n;

export function parseXmr(text: string): bigint {
  const value = parseDecimal(text, XMR_DECIMALS);
  if (value > MAX_ATOMIC) throw new RangeError(`"${text}" XMR is larger than the system can hold`);
  return value;
}

export function formatXmr(atomic: bigint): string {
  return formatDecimal(atomic, XMR_DECIMALS);
}

export function xmr(text: string): bigint {
  return parseXmr(text);
}
