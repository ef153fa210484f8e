import { AUTH_ERROR_CODES } from '@pupero/auth';
import { authedRoutes, errorHelpers, errorResponseSchema, HTTP_ERROR_CODES } from '@pupero/http';

/** Every error code the Transactions API can send: a code outside this list does not compile. */
export const TRANSACTIONS_ERROR_CODES = [
  ...HTTP_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  'amount_out_of_range',
  'buyer_amount_only_for_split',
  'buyer_amount_required',
  'feedback_exists',
  'idempotency_key_reused',
  'insufficient_funds',
  'invalid_buyer_amount',
  'invalid_transition',
  'not_a_party',
  'offer_not_active',
  'offer_not_found',
  'own_offer',
  'own_trade',
  'payment_window_expired',
  'payment_window_open',
  'price_changed',
  'price_unavailable',
  'too_many_open_trades',
  'too_many_streams',
  'trade_not_completed',
  'trade_not_found',
  'two_factor_required',
  'withdrawal_already_finalised',
  'withdrawal_already_released',
  'withdrawal_hold_not_found',
  'withdrawal_user_mismatch',
  'wrong_party',
] as const;
export type TransactionsErrorCode = (typeof TRANSACTIONS_ERROR_CODES)[number];

export const { appError, badRequest, conflict, forbidden, notFound, unauthorized } = errorHelpers(TRANSACTIONS_ERROR_CODES);

/** The error model of the Transactions API, for the OpenAPI document. */
export const errorSchema = errorResponseSchema('TransactionsError', TRANSACTIONS_ERROR_CODES);

/** Options of a route behind an auth guard: the guard, `security` and the 401 response together. */
export const authed = authedRoutes(errorSchema);
