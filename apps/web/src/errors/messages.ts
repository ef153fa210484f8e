import { ApiError, isApiError, type ClientErrorCode } from '../api/error';
import type { ErrorCode } from '../api/openapi.gen';

/**
 * A code this table may name: one a service declares in the OpenAPI document (openapi.gen.ts), or
 * one the web app makes up itself. Until the document declares its codes (ErrorCode is then
 * `never`), any string.
 */
export type MessageCode = [ErrorCode] extends [never] ? string : WithClientCodes<ErrorCode>;
type WithClientCodes<Code extends string> = Code | ClientErrorCode;

/** Plain words for the error codes of the API. Unknown codes fall back to the server's message. */
const MESSAGES = {
  network_error: 'Cannot reach Pupero right now. Check your connection and try again.',
  service_unavailable: 'This part of Pupero is temporarily unavailable. Please try again in a moment.',
  dependency_unavailable: 'Pupero is briefly unavailable on our side. Please try again in a moment.',
  upstream_timeout: 'Pupero took too long to answer. Check whether it went through (e.g. your withdrawals list) before trying again.',
  internal_error: 'Something went wrong on our side. Please try again.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  authentication_required: 'Please log in to continue.',
  invalid_token: 'Your session has ended. Please log in again.',
  session_expired: 'Your session has ended. Please log in again.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'We could not find that.',
  validation_failed: 'Some fields need fixing.',
  invalid_json: 'The request could not be read. Please reload the page and try again.',
  // Auth
  invalid_credentials: 'Wrong username or password.',
  username_taken: 'That username is already taken. Try another one.',
  weak_password: 'Choose a stronger password: at least 10 characters and not a common one.',
  two_factor_required: 'Enter the 6-digit code from your authenticator app.',
  invalid_two_factor_code: 'That code is not valid. Check your authenticator app and try again.',
  two_factor_already_enabled: 'Two-factor authentication is already on.',
  two_factor_not_enabled: 'Two-factor authentication is not on.',
  invalid_current_password: 'Your current password is not correct.',
  invalid_refresh_token: 'Your session has ended. Please log in again.',
  refresh_token_reused: 'Your session was ended for safety. Please log in again.',
  invalid_username: 'Use 3–32 letters, digits, dots, dashes or underscores.',
  password_unchanged: 'The new password must be different from the current one.',
  two_factor_setup_required: 'Start the 2FA setup first.',
  two_factor_setup_changed: 'The 2FA setup was restarted elsewhere. Start again.',
  invalid_cursor: 'This list changed; reload the page.',
  too_many_offers: 'You have too many open offers. Close one before publishing another.',
  min_above_max: 'The minimum must not be larger than the maximum.',
  payment_method_detail_required: 'Say which payment method you mean.',
  price_required: 'A fixed-price offer needs a price.',
  margin_required: 'A market-price offer needs a margin.',
  price_not_allowed: 'A market-price offer has no fixed price.',
  margin_not_allowed: 'A fixed-price offer has no margin.',
  price_source_not_static: 'Prices here come from a live source and cannot be set by hand.',
  wrong_party: 'Only the other party of this trade can do that.',
  own_trade: 'You are a party to this trade: another moderator must resolve it.',
  payment_window_expired: 'The payment window has passed; the trade can no longer be marked as paid.',
  trade_not_completed: 'Feedback can be left once the trade is completed.',
  invalid_buyer_amount: "The buyer's share must be between 0 and the traded amount.",
  buyer_amount_required: "Enter the buyer's share for a split.",
  too_many_streams: 'Too many live connections are open; close some tabs.',
  idempotency_key_reused: 'This request was already sent with different details. Reload and try again.',
  // Offers
  offer_not_found: 'This offer does not exist or was closed.',
  offer_closed: 'This offer is closed and cannot be changed.',
  not_offer_owner: 'Only the owner of this offer can change it.',
  no_market_price: 'There is no market price for this currency yet; use a fixed price.',
  price_unavailable: 'There is no market price for this currency right now.',
  // Trades
  insufficient_funds: 'Not enough available balance for this.',
  withdrawal_not_retryable: 'This withdrawal can no longer be retried (its state changed). Refresh the list.',
  withdrawal_not_failable:
    'This withdrawal can no longer be failed (it was broadcast, finished, or is already being invalidated). Refresh the list.',
  offer_not_active: 'This offer is not active any more.',
  amount_out_of_range: "The amount is outside this offer's limits.",
  own_offer: 'You cannot trade with your own offer.',
  too_many_open_trades: 'You have too many trades in progress. Finish or cancel one before starting another.',
  not_a_party: 'Only the buyer or the seller of this trade can do that.',
  price_changed: 'The price of this offer has just changed. Check the new price and total, then start the trade again.',
  trade_not_found: 'This trade does not exist, or it is not yours.',
  invalid_transition: 'The trade has moved on; the page now shows its current state.',
  payment_window_open: 'The seller can cancel only after the payment window has passed.',
  feedback_exists: 'You have already left feedback for this trade.',
  // Wallet
  invalid_address: 'That is not a valid Monero address for this network.',
  wallet_unavailable: 'The Monero wallet is not available right now; try again shortly.',
  idempotency_key_required: 'Please reload the page and try again.',
  invalid_amount: 'That amount is not valid.',
  amount_too_large: 'That is more than the faucet gives at once.',
  withdrawal_not_found: 'No such withdrawal.',
} satisfies Partial<Record<MessageCode, string>>;
/** By any string: a newer server may send a code this app does not know. */
const MESSAGE_OF: ReadonlyMap<string, string> = new Map(Object.entries(MESSAGES));

/**
 * Codes whose server message says more than our generic sentence (why a password is weak, which
 * network an address belongs to, which currencies have a market price...): shown as sent.
 */
const SERVER_EXPLAINS: ReadonlySet<string> = new Set<MessageCode>([
  'weak_password',
  'invalid_username',
  'invalid_address',
  'no_market_price',
  'too_many_offers',
  'amount_out_of_range',
]);

export function codeMessage(code: string): string | undefined {
  return MESSAGE_OF.get(code);
}

/** One sentence for an error, suitable next to the action that failed. */
export function errorMessage(error: unknown): string {
  if (!isApiError(error)) return (error as Error)?.message || 'Something went wrong.';
  if (error.code === 'rate_limited' && error.retryAfterSeconds) {
    return `Too many attempts. Please wait ${error.retryAfterSeconds} s and try again.`;
  }
  if (error.code === 'validation_failed') {
    const issues = validationIssues(error);
    const [only, ...others] = issues;
    if (only && !others.length) return `${fieldLabel(only.field)}: ${only.message}`;
    return MESSAGES.validation_failed;
  }
  if (error.code === 'insufficient_funds') {
    const available = (error.details as { available?: unknown } | undefined)?.available;
    if (typeof available === 'string') return `${MESSAGES.insufficient_funds} Available: ${available} XMR.`;
  }
  if (SERVER_EXPLAINS.has(error.code) && error.message) return error.message;
  const known = MESSAGE_OF.get(error.code);
  if (known) return known;
  if (error.message) return error.message;
  if (error.status >= 500) return MESSAGES.internal_error;
  return 'That did not work. Please check and try again.';
}

export interface Issue {
  /** Field name without the request part: "body.min_amount" -> "min_amount". */
  field: string;
  message: string;
}

/** The `details.issues` of a validation error. */
export function validationIssues(error: ApiError): Issue[] {
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter((i): i is { path?: unknown; message?: unknown } => typeof i === 'object' && i !== null)
    .map((i) => {
      const path = Array.isArray(i.path) ? i.path.join('.') : typeof i.path === 'string' ? i.path : '';
      return {
        field: path.replace(/^(body|querystring|query|params|headers)\.?/, ''),
        message: typeof i.message === 'string' ? i.message : 'is not valid',
      };
    });
}

/** Which form field an error code concerns, when it concerns one. */
// A table shaped like MESSAGES (code -> string), but this one names the form field a code concerns.
const CODE_FIELD = {
  username_taken: 'username',
  weak_password: 'password',
  invalid_current_password: 'current_password',
  invalid_username: 'username',
  password_unchanged: 'new_password',
  min_above_max: 'max_amount',
  payment_method_detail_required: 'payment_method_detail',
  price_required: 'price',
  margin_required: 'margin_percent',
  invalid_buyer_amount: 'buyer_amount',
  buyer_amount_required: 'buyer_amount',
  no_market_price: 'price_type',
  two_factor_required: 'totp_code',
  invalid_two_factor_code: 'totp_code',
  insufficient_funds: 'amount',
  amount_out_of_range: 'amount',
  invalid_address: 'address',
  invalid_amount: 'amount',
  amount_too_large: 'amount',
} satisfies Partial<Record<MessageCode, string>>;
const FIELD_OF: ReadonlyMap<string, string> = new Map(Object.entries(CODE_FIELD));

export interface SplitErrors {
  /** Messages keyed by field name, for errors that concern one field. */
  fields: Record<string, string>;
  /** The message for the form as a whole (or undefined when every problem sits on a field). */
  form?: string;
}

/**
 * Splits an error between form fields and the form itself. `known` lists the fields the form
 * shows; anything else is reported at form level so no problem goes unseen.
 */
export function splitErrors(error: unknown, known: readonly string[], aliases: Record<string, string> = {}): SplitErrors {
  if (!error) return { fields: {} };
  if (!isApiError(error)) return { fields: {}, form: errorMessage(error) };
  const fields: Record<string, string> = {};
  const leftovers: string[] = [];
  const place = (field: string, message: string) => {
    const target = aliases[field] ?? field;
    if (known.includes(target)) fields[target] ??= message;
    else leftovers.push(field ? `${fieldLabel(field)}: ${message}` : message);
  };
  if (error.code === 'validation_failed') {
    const issues = validationIssues(error);
    if (issues.length === 0) leftovers.push(error.message || MESSAGES.validation_failed);
    for (const issue of issues) place(issue.field.split('.')[0] ?? issue.field, sentence(issue.message));
  } else {
    // The error names its field(s) in details.fields, or its code implies one.
    const named = (error.details as { fields?: unknown } | undefined)?.fields;
    const candidates = [
      ...(Array.isArray(named) ? named.filter((f): f is string => typeof f === 'string') : []),
      FIELD_OF.get(error.code),
    ].filter((f): f is string => !!f);
    const field = candidates.find((f) => known.includes(aliases[f] ?? f));
    if (field) place(field, errorMessage(error));
    else leftovers.push(errorMessage(error));
  }
  return { fields, form: leftovers.length ? leftovers.join(' ') : undefined };
}

function sentence(text: string): string {
  const t = text.trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** "min_amount" -> "Min amount" */
export function fieldLabel(field: string): string {
  if (!field) return 'Request';
  const words = field.replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
