/**
 * Exact decimal <-> scaled bigint conversion. Money never passes through a JS number:
 * "0.25" with scale 12 is 250000000000n.
 */
export class DecimalFormatError extends Error {}

const DECIMAL_RE = /^(\d{1,30})(?:\.(\d+))?$/;

export function parseDecimal(text: string, scale: number): bigint {
  const [, whole, frac = ''] = DECIMAL_RE.exec(text.trim()) ?? [];
  if (whole === undefined) throw new DecimalFormatError(`"${text}" is not a plain decimal number like "1.25"`);
  if (frac.length > scale) {
    throw new DecimalFormatError(`"${text}" has more than ${scale} decimal places`);
  }
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0');
}

export function formatDecimal(value: bigint, scale: number, minFractionDigits = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(scale);
  const whole = abs / unit;
  let frac = (abs % unit).toString().padStart(scale, '0').replace(/0+$/, '');
  if (frac.length < minFractionDigits) frac = frac.padEnd(minFractionDigits, '0');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** a * b / divisor with rounding half up (for non-negative values). */
export function mulDivRound(a: bigint, b: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new RangeError('divisor must be positive');
  const product = a * b;
  return (product + divisor / 2n) / divisor;
}

/** a * b / divisor rounded down. */
export function mulDivFloor(a: bigint, b: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new RangeError('divisor must be positive');
  return (a * b) / divisor;
}
