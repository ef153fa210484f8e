/**
 * XMR amounts as the user types and sees them. Amounts are exact: text -> bigint atomic units
 * (piconero) -> text, never through a JS number. The conversion itself is @pupero/money's.
 */
import { formatDecimal, parseDecimal } from '@money/decimal';
import { MAX_ATOMIC, XMR_DECIMALS } from '@money/xmr';
import { fiatTotal, formatPrice, parsePrice, PRICE_DECIMALS } from '@money/fiat';

export { XMR_DECIMALS };

export type AmountCheck = { ok: true; atomic: bigint; text: string } | { ok: false; message: string };

/**
 * Normalises what a person types: spaces and thin spaces are dropped, a lone decimal comma
 * ("0,5", common in Europe) becomes a point, ".5" becomes "0.5".
 */
export function normaliseAmountInput(raw: string): string {
  let text = raw.trim().replace(/[\s\u00a0\u2009\u202f_]/g, '');
  if (!text.includes('.') && (text.match(/,/g) ?? []).length === 1) text = text.replace(',', '.');
  if (text.startsWith('.')) text = `0${text}`;
  return text;
}

/** Checks an XMR amount field; `required: false` accepts an empty field (optional filters). */
export function checkXmrInput(raw: string, opts: { min?: string; max?: string; allowZero?: boolean } = {}): AmountCheck {
  const text = normaliseAmountInput(raw);
  if (text === '') return { ok: false, message: 'Enter an amount.' };
  if (!/^\d+(\.\d*)?$/.test(text)) return { ok: false, message: 'Use digits and one decimal point, like 0.25.' };
  const fraction = text.split('.')[1] ?? '';
  if (fraction.length > XMR_DECIMALS) return { ok: false, message: `XMR has at most ${XMR_DECIMALS} decimal places.` };
  const atomic = parseDecimal(text.endsWith('.') ? text.slice(0, -1) : text, XMR_DECIMALS);
  if (atomic > MAX_ATOMIC) return { ok: false, message: 'That amount is too large.' };
  if (atomic === 0n && !opts.allowZero) return { ok: false, message: 'The amount must be greater than zero.' };
  if (opts.min !== undefined && atomic < toAtomic(opts.min)) return { ok: false, message: `The minimum is ${opts.min} XMR.` };
  if (opts.max !== undefined && atomic > toAtomic(opts.max)) return { ok: false, message: `The maximum is ${opts.max} XMR.` };
  return { ok: true, atomic, text: formatXmrAtomic(atomic) };
}

/** API decimal string -> atomic units (the API sends well-formed strings). */
export function toAtomic(xmrText: string): bigint {
  return parseDecimal(xmrText, XMR_DECIMALS);
}

export function formatXmrAtomic(atomic: bigint): string {
  return formatDecimal(atomic, XMR_DECIMALS);
}

/**
 * An XMR decimal string for display: trailing zeros dropped, thousands grouped, and at least
 * `minDecimals` places ("1" -> "1.0000" with 4) so columns line up. Never rounds: every
 * piconero of a balance stays visible.
 */
export function displayXmr(xmrText: string | null | undefined, minDecimals = 4): string {
  if (xmrText === null || xmrText === undefined || xmrText === '') return '—';
  const negative = xmrText.startsWith('-');
  let atomic: bigint;
  try {
    atomic = toAtomic(negative ? xmrText.slice(1) : xmrText);
  } catch {
    return xmrText;
  }
  const plain = formatDecimal(atomic, XMR_DECIMALS, minDecimals);
  const [whole = '', frac] = plain.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** Sum of decimal XMR strings, exactly. */
export function sumXmr(...values: (string | null | undefined)[]): string {
  return formatXmrAtomic(values.reduce<bigint>((acc, v) => acc + (v ? toAtomic(v) : 0n), 0n));
}

/**
 * Fiat owed for an XMR amount at a price (fiat per 1 XMR), rounded to cents, as a string;
 * undefined when the amount or price is not valid yet.
 */
export function fiatFor(amountText: string, priceText: string | null | undefined): string | undefined {
  if (!priceText) return undefined;
  const check = checkXmrInput(amountText);
  if (!check.ok) return undefined;
  try {
    return fiatTotal(check.atomic, parsePrice(priceText));
  } catch {
    return undefined;
  }
}

/** A fiat amount with its currency ("1,234.50 EUR"); prices keep 2 decimals. */
export function displayFiat(amountText: string | null | undefined, currency: string): string {
  if (!amountText) return '—';
  let text = amountText;
  try {
    text = formatPrice(parseDecimal(amountText, PRICE_DECIMALS));
  } catch {
    /* show as given */
  }
  const [whole = '', frac] = text.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''} ${currency}`;
}

/** Checks a fiat price field (positive, at most 8 decimals). */
export function checkPriceInput(raw: string): { ok: true; text: string } | { ok: false; message: string } {
  const text = normaliseAmountInput(raw);
  if (text === '') return { ok: false, message: 'Enter a price.' };
  if (!/^\d{1,12}(\.\d{1,8})?$/.test(text)) return { ok: false, message: 'Use a price like 150.25 (at most 8 decimals).' };
  if (/^0+(\.0+)?$/.test(text)) return { ok: false, message: 'The price must be greater than zero.' };
  return { ok: true, text };
}

/** The Offers API accepts margins from -50 % to +50 % with at most 2 decimals. */
export const MARGIN_LIMIT_PERCENT = 50;

/** Checks a margin percent like "-2.5" or "3". */
export function checkMarginInput(raw: string): { ok: true; text: string } | { ok: false; message: string } {
  const text = normaliseAmountInput(raw).replace(/^\+/, '');
  if (!/^-?\d{1,3}(\.\d{1,2})?$/.test(text)) return { ok: false, message: 'Use a percentage like 2.5 or -1.25 (at most 2 decimals).' };
  const magnitude = parseDecimal(text.replace('-', ''), 2);
  if (magnitude > BigInt(MARGIN_LIMIT_PERCENT * 100))
    return { ok: false, message: `A margin must be between -${MARGIN_LIMIT_PERCENT}% and ${MARGIN_LIMIT_PERCENT}%.` };
  return { ok: true, text };
}
