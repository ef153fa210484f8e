/**
 * The payment methods an offer can name. Codes are a public contract (stored on offers and used
 * as a filter): add new ones freely, never rename or remove one.
 * `other` needs a `payment_method_detail` saying what it is.
 */
export const PAYMENT_METHODS = [
  { code: 'sepa', label: 'SEPA bank transfer' },
  { code: 'sepa_instant', label: 'SEPA Instant transfer' },
  { code: 'bank_transfer', label: 'National bank transfer' },
  { code: 'swift', label: 'International wire (SWIFT)' },
  { code: 'faster_payments', label: 'Faster Payments (UK)' },
  { code: 'zelle', label: 'Zelle' },
  { code: 'interac', label: 'Interac e-Transfer' },
  { code: 'pix', label: 'Pix' },
  { code: 'upi', label: 'UPI' },
  { code: 'revolut', label: 'Revolut' },
  { code: 'wise', label: 'Wise' },
  { code: 'paypal', label: 'PayPal' },
  { code: 'cash_app', label: 'Cash App' },
  { code: 'venmo', label: 'Venmo' },
  { code: 'cash_by_mail', label: 'Cash by mail' },
  { code: 'cash_in_person', label: 'Cash in person' },
  { code: 'gift_card', label: 'Gift card' },
  { code: 'other', label: 'Other (see details)' },
] as const;

export type PaymentMethod = (typeof PAYMENT_METHODS)[number]['code'];

export const PAYMENT_METHOD_CODES = PAYMENT_METHODS.map((m) => m.code) as [PaymentMethod, ...PaymentMethod[]];

/** The method whose offers must describe themselves in `payment_method_detail`. */
export const OTHER_PAYMENT_METHOD: PaymentMethod = 'other';

const squash = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s\-/()]+/g, '_')
    .replace(/^_+|_+$/g, '');
const BY_NAME = new Map<string, PaymentMethod>(
  PAYMENT_METHODS.flatMap((m) => [[squash(m.code), m.code] as const, [squash(m.label), m.code] as const]),
);

/**
 * People write "SEPA", "Cash by mail" or "cash-by-mail" for the code `sepa` / `cash_by_mail`:
 * map those spellings to the code; anything else is returned as given (and then refused).
 */
export function normalisePaymentMethod(input: unknown): unknown {
  return typeof input === 'string' ? (BY_NAME.get(squash(input)) ?? input) : input;
}
