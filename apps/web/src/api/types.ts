/**
 * Shapes of the public API, named for the web app. They are not written here: each is read from
 * openapi.gen.ts, generated from the gateway's /openapi.json (`npm run gen:api`), so a server change
 * that the app does not follow fails the type-check instead of the user.
 */
import type { components, paths } from './openapi.gen';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body of the `S` answer of `M P` (200 unless said). */
export type ResponseOf<P extends keyof paths, M extends Method, S extends number = 200> =
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? JsonOf<R[S]> : never) : never;
/** The JSON request body of `M P`. */
export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
/** The query string of `M P`. */
export type QueryOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** An entry of a list answer ({items: [...]}). */
export type ItemOf<T> = T extends { items: (infer I)[] } ? I : never;

export type Me = ResponseOf<'/auth/me', 'get'>;
export type Role = Me['roles'][number];
export type LoginResponse = ResponseOf<'/auth/login', 'post'>;
export type RefreshResponse = ResponseOf<'/auth/refresh', 'post'>;
export type TwoFactorSetup = ResponseOf<'/auth/2fa/setup', 'post'>;
export type SecurityEvent = ItemOf<ResponseOf<'/auth/events', 'get'>>;
export type LoginSession = ItemOf<ResponseOf<'/auth/sessions', 'get'>>;

export type Offer = components['schemas']['Offer'];
export type OfferSide = Offer['side'];
export type OfferStatus = Offer['status'];
export type OfferInput = BodyOf<'/offers', 'post'>;
export type OfferPatch = BodyOf<'/offers/{id}', 'patch'>;
export type OfferFilters = QueryOf<'/offers', 'get'>;
/** A payment method the server knows (its list comes from GET /offers/payment-methods). */
export type PaymentMethodCode = OfferInput['payment_method'];
/** What an offer's owner carries and GET /users/{id}/reputation answers (with the user's id besides). */
export type Reputation = NonNullable<Offer['owner']['reputation']>;
export type PriceInfo = ResponseOf<'/price', 'get'>;
export type CurrencyInfo = ItemOf<ResponseOf<'/offers/currencies', 'get'>>;
export type PaymentMethodInfo = ItemOf<ResponseOf<'/offers/payment-methods', 'get'>>;

/** A trade as lists and actions answer it. */
export type Trade = ItemOf<ResponseOf<'/trades', 'get'>>;
/** GET /trades/{id}: the trade with its timeline and feedback. */
export type TradeDetail = ResponseOf<'/trades/{id}', 'get'>;
export type UserRef = Trade['buyer'];
export type TradeStatus = Trade['status'];
export type TradeAction = NonNullable<Trade['available_actions']>[number];
export type TradeEvent = TradeDetail['timeline'][number];
export type ChatMessage = ResponseOf<'/trades/{id}/messages', 'post', 201>;
export type FeedbackRating = BodyOf<'/trades/{id}/feedback', 'post'>['rating'];
export type FeedbackEntry = ResponseOf<'/trades/{id}/feedback', 'post', 201>;
export type ResolveInput = BodyOf<'/admin/trades/{id}/resolve', 'post'>;
export type ResolveOutcome = ResolveInput['outcome'];

export type Balance = ResponseOf<'/balance', 'get'>;
export type BalanceHistoryItem = ItemOf<ResponseOf<'/balance/history', 'get'>>;
export type DepositAddress = ResponseOf<'/wallet/deposit-address', 'get'>;
export type Deposit = ItemOf<ResponseOf<'/wallet/deposits', 'get'>>;
export type WithdrawalInput = BodyOf<'/wallet/withdrawals', 'post'>;
export type Withdrawal = ResponseOf<'/wallet/withdrawals/{id}', 'get'>;
export type WithdrawalStatus = Withdrawal['status'];
export type StuckWithdrawal = ItemOf<ResponseOf<'/admin/wallet/withdrawals/stuck', 'get'>>;
export type WithdrawalAdminAction = ItemOf<ResponseOf<'/admin/wallet/withdrawals/actions', 'get'>>;
export type Reconciliation = ResponseOf<'/admin/reconciliation', 'get'>;
export type LedgerVerify = ResponseOf<'/admin/ledger/verify', 'get'>;

/** The web app's own view of a payment method (normalised from the API's list, with a fallback). */
export interface PaymentMethod {
  id: string;
  name: string;
  needsDetail?: boolean;
}
