/** Shapes of the public API (/work/shared/API.md). Optional fields are additions a service may send. */

export type Role = 'user' | 'moderator' | 'admin';

export interface UserRef {
  id: string;
  username: string;
}

export interface Me {
  id: string;
  username: string;
  roles: Role[];
  two_factor_enabled: boolean;
  created_at: string;
}

export interface LoginResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: UserRef & Partial<Me>;
}

export interface RefreshResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface TwoFactorSetup {
  secret: string;
  otpauth_url: string;
}

export interface SecurityEvent {
  id?: string;
  type: string;
  created_at: string;
  ip?: string | null;
  user_agent?: string | null;
  details?: unknown;
}

export interface Reputation {
  user_id?: string;
  completed_trades: number;
  volume?: string;
  feedback?: { positive: number; neutral: number; negative: number };
}

export type OfferSide = 'sell' | 'buy';
export type OfferStatus = 'active' | 'paused' | 'closed';

export interface Offer {
  id: string;
  owner: UserRef & { reputation?: Reputation | null };
  side: OfferSide;
  currency: string;
  payment_method: string;
  /** What "other" means (required with payment_method "other"). */
  payment_method_detail?: string;
  price_type: 'fixed' | 'market';
  price?: string | null;
  margin_percent?: string | null;
  effective_price: string | null;
  min_amount: string;
  max_amount: string;
  terms: string;
  payment_window_minutes: number;
  status: OfferStatus;
  created_at: string;
  updated_at?: string;
  closed_at?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PriceInfo {
  symbol: 'XMR';
  prices: Record<string, string>;
  source: string;
  updated_at: string | null;
  /** The source could not be refreshed: these are the last good prices. */
  stale?: boolean;
}

export interface CurrencyInfo {
  code: string;
  name: string;
  market_price: string | null;
}

export interface PaymentMethod {
  id: string;
  name: string;
  needsDetail?: boolean;
}

export type TradeStatus = 'escrowed' | 'paid' | 'completed' | 'cancelled' | 'disputed';

/** A timeline entry of GET /trades/{id} (types: trade_created, trade_paid, trade_completed, ...). */
export interface TradeEvent {
  id?: string;
  type: string;
  // `string & {}`: any status a newer server sends, while editors still offer the known ones.
  status?: TradeStatus | (string & {}) | null;
  actor?: UserRef | null;
  note?: string | null;
  outcome?: string;
  buyer_amount?: string;
  created_at: string;
}

export type TradeAction = 'paid' | 'release' | 'cancel' | 'dispute';

export interface Trade {
  id: string;
  offer_id: string;
  buyer: UserRef;
  seller: UserRef;
  amount: string;
  fee: string;
  price: string;
  fiat_amount: string;
  currency: string;
  payment_method: string;
  status: TradeStatus;
  payment_deadline: string;
  created_at: string;
  updated_at: string;
  offer_side?: OfferSide;
  terms?: string;
  payment_window_minutes?: number;
  paid_at?: string | null;
  completed_at?: string | null;
  cancelled_at?: string | null;
  dispute?: { reason: string; opened_by?: UserRef; created_at?: string } | null;
  dispute_reason?: string | null;
  resolution?: { outcome: ResolveOutcome; buyer_amount?: string; note?: string; resolved_by?: UserRef; created_at?: string } | null;
  /** The caller's part and what the server lets the caller do now (GET /trades/{id}). */
  my_role?: 'buyer' | 'seller' | 'moderator';
  available_actions?: TradeAction[];
  events?: TradeEvent[];
  timeline?: TradeEvent[];
  feedback?: FeedbackEntry[] | null;
  my_feedback?: FeedbackEntry | null;
}

export interface ChatMessage {
  id: string;
  author: UserRef | null;
  author_role?: 'buyer' | 'seller' | 'moderator';
  body: string;
  created_at: string;
}

export type FeedbackRating = 'positive' | 'neutral' | 'negative';

export interface FeedbackEntry {
  trade_id?: string;
  from?: UserRef | string;
  from_user_id?: string;
  author?: UserRef;
  subject?: UserRef;
  rating: FeedbackRating;
  comment?: string | null;
  created_at?: string;
}

export interface Balance {
  available: string;
  held: string;
  pending_deposits: string;
}

export interface DepositAddress {
  address: string;
  network: 'regtest' | 'testnet' | 'stagenet' | 'mainnet' | (string & {});
  required_confirmations?: number;
}

export interface Deposit {
  txid: string;
  amount: string;
  confirmations: number;
  required_confirmations: number;
  /** rejected: seen but never credited (e.g. a locked output). */
  status: 'pending' | 'credited' | 'rejected';
  created_at?: string;
}

export type WithdrawalStatus = 'queued' | 'signed' | 'broadcast' | 'confirmed' | 'failed';

export interface Withdrawal {
  id: string;
  status: WithdrawalStatus;
  amount: string;
  fee?: string | null;
  address: string;
  txid?: string | null;
  confirmations?: number | null;
  required_confirmations?: number | null;
  failure_reason?: string | null;
  created_at?: string;
  updated_at?: string;
}

/** An entry of GET /admin/wallet/withdrawals/stuck (operators' view of the queue). */
export interface StuckWithdrawal {
  id: string;
  user_id: string;
  status: WithdrawalStatus;
  address: string;
  amount: string;
  fee: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  txid: string | null;
  transaction_status: 'signed' | 'broadcast' | 'confirmed' | 'failed' | 'invalidating' | null;
  relay_failures: number | null;
  next_relay_at: string | null;
  replacement_txid: string | null;
  failure_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** An entry of GET /admin/wallet/withdrawals/actions (the audit trail of retry / fail). */
export interface WithdrawalAdminAction {
  id: string;
  withdrawal_id: string;
  action: 'retry' | 'fail';
  actor_id: string;
  reason: string;
  status_before: string;
  outcome: string;
  created_at: string;
}

export interface Reconciliation {
  ledger_liabilities: string;
  wallet_balance: string;
  wallet_unlocked: string;
  pending_deposits: string;
  inflight_withdrawals: string;
  difference: string;
  ok: boolean;
  checked_at?: string;
  [extra: string]: unknown;
}

export interface LedgerVerify {
  ok: boolean;
  checked_entries: number;
  problems: unknown[];
}

export type ResolveOutcome = 'release' | 'refund' | 'split';

/** An entry of GET /balance/history: what one ledger entry did to the caller's balances. */
export interface BalanceHistoryItem {
  entry_id: string;
  kind: string;
  reference: { type: 'trade' | 'deposit' | 'withdrawal'; id: string };
  /** Signed XMR decimal strings ("-1.5"). */
  changes: { available: string; held: string };
  created_at: string;
}

/** A login session of GET /auth/sessions. */
export interface LoginSession {
  id: string;
  created_at: string;
  last_refreshed_at: string | null;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}
