import type { SyncStatus } from '../sync/progress';
/** Typed calls of the public API, one function per endpoint. */
import type { ApiClient } from './client';
import type {
  Balance,
  BalanceHistoryItem,
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
  OfferSide,
  Page,
  PriceInfo,
  Reconciliation,
  Reputation,
  ResolveOutcome,
  SecurityEvent,
  Trade,
  TwoFactorSetup,
  StuckWithdrawal,
  UserRef,
  Withdrawal,
  WithdrawalAdminAction,
} from './types';

const id = (value: string) => encodeURIComponent(value);

export interface OfferFilters {
  side?: OfferSide;
  currency?: string;
  payment_method?: string;
  amount?: string;
  limit?: number;
  cursor?: string | null;
}

export interface OfferInput {
  side: OfferSide;
  currency: string;
  payment_method: string;
  payment_method_detail?: string;
  price_type: 'fixed' | 'market';
  price?: string;
  margin_percent?: string;
  min_amount: string;
  max_amount: string;
  terms: string;
  payment_window_minutes: number;
}

export interface WithdrawalInput {
  address: string;
  amount: string;
  totp_code?: string;
}

export function endpoints(api: ApiClient) {
  return {
    auth: {
      register: (username: string, password: string) =>
        api.post<{ user: UserRef & { created_at: string } }>('/auth/register', { username, password }, { auth: 'none' }),
      login: (body: { username: string; password: string; totp_code?: string; recovery_code?: string }) =>
        api.post<LoginResponse>('/auth/login', body, { auth: 'none' }),
      logout: (refreshToken: string) => api.post<void>('/auth/logout', { refresh_token: refreshToken }, { auth: 'optional' }),
      me: () => api.get<Me>('/auth/me'),
      setup2fa: () => api.post<TwoFactorSetup>('/auth/2fa/setup', {}),
      enable2fa: (code: string) => api.post<{ recovery_codes: string[] }>('/auth/2fa/enable', { code }),
      disable2fa: (code: string) => api.post<void>('/auth/2fa/disable', { code }),
      changePassword: (current_password: string, new_password: string) =>
        api.post<void>('/auth/password', { current_password, new_password }),
      events: () => api.get<{ items: SecurityEvent[] } | SecurityEvent[]>('/auth/events'),
      sessions: () => api.get<{ items: LoginSession[] }>('/auth/sessions'),
      endSession: (sessionId: string) => api.delete<void>(`/auth/sessions/${id(sessionId)}`),
    },
    offers: {
      list: (filters: OfferFilters) => api.get<Page<Offer>>('/offers', { query: { ...filters }, auth: 'optional' }),
      get: (offerId: string) => api.get<Offer>(`/offers/${id(offerId)}`, { auth: 'optional' }),
      mine: (cursor?: string | null) => api.get<Page<Offer>>('/offers/mine', { query: { cursor, limit: 50 } }),
      create: (input: OfferInput) => api.post<Offer>('/offers', input),
      update: (offerId: string, patch: Partial<OfferInput> & { status?: 'active' | 'paused' | 'closed' }) =>
        api.patch<Offer>(`/offers/${id(offerId)}`, patch),
      close: (offerId: string) => api.delete<void>(`/offers/${id(offerId)}`),
      paymentMethods: () =>
        api.get<{ items: { code: string; label: string; needs_detail?: boolean }[] }>('/offers/payment-methods', { auth: 'none' }),
      currencies: () => api.get<{ items: CurrencyInfo[] }>('/offers/currencies', { auth: 'none' }),
      price: () => api.get<PriceInfo>('/price', { auth: 'none' }),
    },
    users: {
      reputation: (userId: string) => api.get<Reputation>(`/users/${id(userId)}/reputation`, { auth: 'optional' }),
    },
    trades: {
      /** `price`: the effective price the taker was shown (409 price_changed when it moved); the code when the taker becomes the seller with 2FA on. */
      start: (offer_id: string, amount: string, extra: { price?: string; totp_code?: string; recovery_code?: string } = {}) =>
        api.post<Trade>('/trades', { offer_id, amount, ...extra }),
      list: (cursor?: string | null, status?: string) => api.get<Page<Trade>>('/trades', { query: { cursor, status, limit: 25 } }),
      get: (tradeId: string) => api.get<Trade>(`/trades/${id(tradeId)}`),
      markPaid: (tradeId: string) => api.post<Trade>(`/trades/${id(tradeId)}/paid`, {}),
      release: (tradeId: string, secondFactor: { totp_code?: string; recovery_code?: string } = {}) =>
        api.post<Trade>(`/trades/${id(tradeId)}/release`, secondFactor),
      cancel: (tradeId: string) => api.post<Trade>(`/trades/${id(tradeId)}/cancel`, {}),
      dispute: (tradeId: string, reason: string) => api.post<Trade>(`/trades/${id(tradeId)}/dispute`, { reason }),
      messages: (tradeId: string) => api.get<{ items: ChatMessage[] } | ChatMessage[]>(`/trades/${id(tradeId)}/messages`),
      sendMessage: (tradeId: string, body: string) => api.post<ChatMessage>(`/trades/${id(tradeId)}/messages`, { body }),
      feedback: (tradeId: string, rating: FeedbackRating, comment: string) =>
        api.post<unknown>(`/trades/${id(tradeId)}/feedback`, comment ? { rating, comment } : { rating }),
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
        api.post<Withdrawal>('/wallet/withdrawals', input, { headers: { 'idempotency-key': idempotencyKey } }),
      withdrawals: () => api.get<{ items: Withdrawal[] }>('/wallet/withdrawals'),
      withdrawalFee: () => api.get<{ fee: string; network: string }>('/wallet/withdrawal-fee'),
      withdrawal: (withdrawalId: string) => api.get<Withdrawal>(`/wallet/withdrawals/${id(withdrawalId)}`),
    },
    admin: {
      disputes: () => api.get<{ items: Trade[] } | Trade[]>('/admin/disputes'),
      resolve: (tradeId: string, body: { outcome: ResolveOutcome; buyer_amount?: string; note: string }) =>
        api.post<Trade>(`/admin/trades/${id(tradeId)}/resolve`, body),
      reconciliation: () => api.get<Reconciliation>('/admin/reconciliation'),
      verifyLedger: () => api.get<LedgerVerify>('/admin/ledger/verify'),
      walletStatus: () => api.get<Record<string, unknown>>('/admin/wallet/status'),
      stuckWithdrawals: () => api.get<{ items: StuckWithdrawal[]; stuck_after_seconds: number }>('/admin/wallet/withdrawals/stuck'),
      withdrawalActions: () => api.get<{ items: WithdrawalAdminAction[] }>('/admin/wallet/withdrawals/actions', { query: { limit: 20 } }),
      retryWithdrawal: (withdrawalId: string, reason: string) =>
        api.post<{ withdrawal: StuckWithdrawal; outcome: string }>(`/admin/wallet/withdrawals/${id(withdrawalId)}/retry`, { reason }),
      failWithdrawal: (withdrawalId: string, reason: string) =>
        api.post<{ withdrawal: StuckWithdrawal; outcome: string }>(`/admin/wallet/withdrawals/${id(withdrawalId)}/fail`, { reason }),
      setPrices: (prices: Record<string, string>) => api.put<PriceInfo>('/admin/prices', { prices }),
    },
    dev: {
      faucet: (address: string, amount: string) => api.post<{ txid: string }>('/dev/faucet', { address, amount }),
      mine: (blocks: number) => api.post<{ height: number }>('/dev/mine', { blocks }),
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;

/** Lists come as {items} from most endpoints; accept a bare array too. */
export function itemsOf<T>(value: { items: T[] } | T[] | undefined | null): T[] {
  if (!value) return [];
  return Array.isArray(value) ? value : (value.items ?? []);
}
