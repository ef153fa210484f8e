import type { SyncStatus } from '../sync/progress';
/** Typed calls of the public API, one function per endpoint. */
import type { ApiClient } from './client';
import type {
  Balance,
  BalanceHistoryItem,
  BodyOf,
  ChatMessage,
  CurrencyInfo,
  LoginSession,
  Deposit,
  DepositAddress,
  FeedbackRating,
  LedgerVerify,
  LoginResponse,
  Me,
  Offer,
  OfferFilters,
  OfferInput,
  OfferPatch,
  PaymentMethodInfo,
  PriceInfo,
  Reconciliation,
  Reputation,
  ResolveInput,
  ResponseOf,
  SecurityEvent,
  Trade,
  TradeDetail,
  TwoFactorSetup,
  Withdrawal,
  WithdrawalAdminAction,
  WithdrawalInput,
} from './types';

const id = (value: string) => encodeURIComponent(value);

export type { OfferFilters, OfferInput, WithdrawalInput };

/** A page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function endpoints(api: ApiClient) {
  return {
    auth: {
      register: (username: string, password: string) =>
        api.post<ResponseOf<'/auth/register', 'post', 201>>('/auth/register', { username, password }, { auth: 'none' }),
      login: (body: BodyOf<'/auth/login', 'post'>) => api.post<LoginResponse>('/auth/login', body, { auth: 'none' }),
      logout: (refreshToken: string) => api.post<void>('/auth/logout', { refresh_token: refreshToken }, { auth: 'optional' }),
      me: () => api.get<Me>('/auth/me'),
      setup2fa: () => api.post<TwoFactorSetup>('/auth/2fa/setup', {}),
      enable2fa: (code: string) => api.post<ResponseOf<'/auth/2fa/enable', 'post'>>('/auth/2fa/enable', { code }),
      disable2fa: (code: string) => api.post<void>('/auth/2fa/disable', { code }),
      changePassword: (current_password: string, new_password: string) =>
        api.post<void>('/auth/password', { current_password, new_password }),
      events: () => api.get<{ items: SecurityEvent[] }>('/auth/events'),
      sessions: () => api.get<{ items: LoginSession[] }>('/auth/sessions'),
      endSession: (sessionId: string) => api.delete<void>(`/auth/sessions/${id(sessionId)}`),
    },
    offers: {
      list: (filters: OfferFilters) => api.get<Page<Offer>>('/offers', { query: { ...filters }, auth: 'optional' }),
      get: (offerId: string) => api.get<Offer>(`/offers/${id(offerId)}`, { auth: 'optional' }),
      mine: (cursor?: string | null) => api.get<Page<Offer>>('/offers/mine', { query: { cursor, limit: 50 } }),
      create: (input: OfferInput) => api.post<Offer>('/offers', input),
      update: (offerId: string, patch: OfferPatch) => api.patch<Offer>(`/offers/${id(offerId)}`, patch),
      close: (offerId: string) => api.delete<void>(`/offers/${id(offerId)}`),
      paymentMethods: () => api.get<{ items: PaymentMethodInfo[] }>('/offers/payment-methods', { auth: 'none' }),
      currencies: () => api.get<{ items: CurrencyInfo[] }>('/offers/currencies', { auth: 'none' }),
      price: () => api.get<PriceInfo>('/price', { auth: 'none' }),
    },
    users: {
      reputation: (userId: string) => api.get<Reputation>(`/users/${id(userId)}/reputation`, { auth: 'optional' }),
    },
    trades: {
      /** `price`: the effective price the taker was shown (409 price_changed when it moved); the code when the taker becomes the seller with 2FA on. */
      start: (offer_id: string, amount: string, extra: Omit<BodyOf<'/trades', 'post'>, 'offer_id' | 'amount'> = {}) =>
        api.post<ResponseOf<'/trades', 'post', 201>>('/trades', { offer_id, amount, ...extra }),
      list: (cursor?: string | null, status?: string) => api.get<Page<Trade>>('/trades', { query: { cursor, status, limit: 25 } }),
      get: (tradeId: string) => api.get<TradeDetail>(`/trades/${id(tradeId)}`),
      markPaid: (tradeId: string) => api.post<ResponseOf<'/trades/{id}/paid', 'post'>>(`/trades/${id(tradeId)}/paid`, {}),
      release: (tradeId: string, secondFactor: BodyOf<'/trades/{id}/release', 'post'> = {}) =>
        api.post<ResponseOf<'/trades/{id}/release', 'post'>>(`/trades/${id(tradeId)}/release`, secondFactor),
      cancel: (tradeId: string) => api.post<ResponseOf<'/trades/{id}/cancel', 'post'>>(`/trades/${id(tradeId)}/cancel`, {}),
      dispute: (tradeId: string, reason: string) =>
        api.post<ResponseOf<'/trades/{id}/dispute', 'post'>>(`/trades/${id(tradeId)}/dispute`, { reason }),
      messages: (tradeId: string) => api.get<ResponseOf<'/trades/{id}/messages', 'get'>>(`/trades/${id(tradeId)}/messages`),
      sendMessage: (tradeId: string, body: string) => api.post<ChatMessage>(`/trades/${id(tradeId)}/messages`, { body }),
      feedback: (tradeId: string, rating: FeedbackRating, comment: string) =>
        api.post<ResponseOf<'/trades/{id}/feedback', 'post', 201>>(
          `/trades/${id(tradeId)}/feedback`,
          comment ? { rating, comment } : { rating },
        ),
    },
    balance: {
      get: () => api.get<Balance>('/balance'),
      history: (cursor?: string | null) => api.get<Page<BalanceHistoryItem>>('/balance/history', { query: { cursor, limit: 20 } }),
    },
    wallet: {
      depositAddress: () => api.get<DepositAddress>('/wallet/deposit-address'),
      sync: () => api.get<SyncStatus>('/wallet/sync', { auth: 'none' }),
      deposits: () => api.get<{ items: Deposit[] }>('/wallet/deposits'),
      withdraw: (input: WithdrawalInput, idempotencyKey: string) =>
        api.post<ResponseOf<'/wallet/withdrawals', 'post', 202>>('/wallet/withdrawals', input, {
          headers: { 'idempotency-key': idempotencyKey },
        }),
      withdrawals: () => api.get<{ items: Withdrawal[] }>('/wallet/withdrawals'),
      withdrawalFee: () => api.get<ResponseOf<'/wallet/withdrawal-fee', 'get'>>('/wallet/withdrawal-fee'),
      withdrawal: (withdrawalId: string) => api.get<Withdrawal>(`/wallet/withdrawals/${id(withdrawalId)}`),
    },
    admin: {
      disputes: () => api.get<ResponseOf<'/admin/disputes', 'get'>>('/admin/disputes'),
      resolve: (tradeId: string, body: ResolveInput) =>
        api.post<ResponseOf<'/admin/trades/{id}/resolve', 'post'>>(`/admin/trades/${id(tradeId)}/resolve`, body),
      reconciliation: () => api.get<Reconciliation>('/admin/reconciliation'),
      verifyLedger: () => api.get<LedgerVerify>('/admin/ledger/verify'),
      walletStatus: () => api.get<ResponseOf<'/admin/wallet/status', 'get'>>('/admin/wallet/status'),
      stuckWithdrawals: () => api.get<ResponseOf<'/admin/wallet/withdrawals/stuck', 'get'>>('/admin/wallet/withdrawals/stuck'),
      withdrawalActions: () => api.get<{ items: WithdrawalAdminAction[] }>('/admin/wallet/withdrawals/actions', { query: { limit: 20 } }),
      retryWithdrawal: (withdrawalId: string, reason: string) =>
        api.post<ResponseOf<'/admin/wallet/withdrawals/{id}/retry', 'post'>>(`/admin/wallet/withdrawals/${id(withdrawalId)}/retry`, {
          reason,
        }),
      failWithdrawal: (withdrawalId: string, reason: string) =>
        api.post<ResponseOf<'/admin/wallet/withdrawals/{id}/fail', 'post'>>(`/admin/wallet/withdrawals/${id(withdrawalId)}/fail`, {
          reason,
        }),
      setPrices: (prices: Record<string, string>) => api.put<ResponseOf<'/admin/prices', 'put'>>('/admin/prices', { prices }),
    },
    dev: {
      faucet: (address: string, amount: string) => api.post<ResponseOf<'/dev/faucet', 'post'>>('/dev/faucet', { address, amount }),
      mine: (blocks: number) => api.post<ResponseOf<'/dev/mine', 'post'>>('/dev/mine', { blocks }),
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;

/** Lists come as {items} from most endpoints; accept a bare array too. */
export function itemsOf<T>(value: { items: T[] } | T[] | undefined | null): T[] {
  if (!value) return [];
  return Array.isArray(value) ? value : (value.items ?? []);
}
