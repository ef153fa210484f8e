import { AUTH_ERROR_CODES } from '@pupero/auth';
import { authedRoutes, errorHelpers, errorResponseSchema, HTTP_ERROR_CODES } from '@pupero/http';

/** Every error code the Login API can send: a code outside this list does not compile. */
export const LOGIN_ERROR_CODES = [
  ...HTTP_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  'cannot_revoke_own_admin',
  'invalid_credentials',
  'invalid_current_password',
  'invalid_cursor',
  'invalid_refresh_token',
  'invalid_two_factor_code',
  'invalid_username',
  'password_unchanged',
  'refresh_token_reused',
  'session_not_found',
  'two_factor_already_enabled',
  'two_factor_not_enabled',
  'two_factor_required',
  'two_factor_setup_changed',
  'two_factor_setup_required',
  'user_not_found',
  'username_taken',
  'weak_password',
] as const;
export type LoginErrorCode = (typeof LOGIN_ERROR_CODES)[number];

// The same few lines as every service's errors.ts: the factories are shared (@pupero/http), what each binds is its own code list.
export const { badRequest, conflict, forbidden, notFound, unauthorized } = errorHelpers(LOGIN_ERROR_CODES);

/** The error model of the Login API, for the OpenAPI document. */
export const errorSchema = errorResponseSchema('LoginError', LOGIN_ERROR_CODES);

/** Options of a route behind an auth guard: the guard, `security` and the 401 response together. */
export const authed = authedRoutes(errorSchema);
