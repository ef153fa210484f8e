import { AUTH_ERROR_CODES } from '@pupero/auth';
import { authedRoutes, errorHelpers, errorResponseSchema, HTTP_ERROR_CODES } from '@pupero/http';

/** Every error code the Offers API can send: a code outside this list does not compile. */
export const OFFERS_ERROR_CODES = [
  ...HTTP_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  'invalid_cursor',
  'margin_not_allowed',
  'margin_required',
  'min_above_max',
  'no_market_price',
  'not_offer_owner',
  'offer_closed',
  'offer_not_found',
  'payment_method_detail_required',
  'price_not_allowed',
  'price_required',
  'price_source_not_static',
  'too_many_offers',
] as const;
export type OffersErrorCode = (typeof OFFERS_ERROR_CODES)[number];

export const { badRequest, conflict, forbidden, notFound } = errorHelpers(OFFERS_ERROR_CODES);

/** The error model, for the OpenAPI document of each route. */
export const errorSchema = errorResponseSchema('OffersError', OFFERS_ERROR_CODES);

/** Options of a route behind an auth guard: the guard, `security` and the 401 response together. */
export const authed = authedRoutes(errorSchema);

export const offerNotFound = () => notFound('offer_not_found', 'There is no offer with this id.');
