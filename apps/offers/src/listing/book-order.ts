import { SIDES, type Side } from '../offers/offer.js';
import type { BookPosition } from './cursor.js';

/**
 * The order of GET /offers, best for the taker first:
 * - sell offers (the taker buys XMR) before buy offers (the taker sells XMR);
 * - then by currency code (A → Z): prices in different currencies do not compare;
 * - then by effective price: sell offers cheapest first, buy offers highest first;
 * - ties by offer id (ascending for sell, descending for buy), so the order is total and a
 *   keyset cursor is exact.
 */
export const SIDE_ORDER: readonly Side[] = SIDES;

export function priceOrder(side: Side): 'asc' | 'desc' {
  return side === 'sell' ? 'asc' : 'desc';
}

/** Negative when a comes before b in the book (used by tests and as the specification). */
export function compareBookPositions(a: BookPosition, b: BookPosition): number {
  if (a.side !== b.side) return SIDE_ORDER.indexOf(a.side) - SIDE_ORDER.indexOf(b.side);
  if (a.currency !== b.currency) return a.currency < b.currency ? -1 : 1;
  const sign = priceOrder(a.side) === 'asc' ? 1 : -1;
  if (a.key !== b.key) return (a.key < b.key ? -1 : 1) * sign;
  // uuid order in PostgreSQL is the order of the lowercase hex text.
  if (a.id !== b.id) return (a.id < b.id ? -1 : 1) * sign;
  return 0;
}
