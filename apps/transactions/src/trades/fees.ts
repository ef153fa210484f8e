import { mulDivFloor, parseDecimal } from '@pupero/money';

const PERCENT_SCALE = 4;
/** 100 % at the scale of PERCENT_SCALE decimals. */
const HUNDRED_PERCENT = 100n * 10n ** BigInt(PERCENT_SCALE);

/**
 * The platform fee of a trade: `percent` % of the amount, rounded down to the piconero (the
 * rounding favours the user). Charged to the seller on top of the amount (see README).
 */
export function platformFee(amount: bigint, percent: string): bigint {
  const scaled = parseDecimal(percent, PERCENT_SCALE);
  if (scaled >= HUNDRED_PERCENT) throw new RangeError('the platform fee must be below 100 %');
  return mulDivFloor(amount, scaled, HUNDRED_PERCENT);
}
