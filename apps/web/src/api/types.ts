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
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PriceInfo {
  symbol: 'XMR';
  prices: Record<string, string>;
  source: string;
  updated_at: string;
}

export interface PaymentMethod {
  id: string;
  name: string;
}

export type TradeStatus = 'escrowed' | 'paid' | 'completed' | 'cancelled' | 'disputed';

export interface TradeEvent {
  type: string;
  status?: TradeStatus;
  actor?: UserRef | null;
  note?: string | null;
  created_at: string;
}

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
  terms?: string;
  payment_window_minutes?: number;
  dispute?: { reason: string; opened_by?: UserRef | string; created_at?: string; resolution?: unknown } | null;
  dispute_reason?: string | null;
  resolution?: { outcome: string; buyer_amount?: string; note?: string } | null;
  events?: TradeEvent[];
  timeline?: TradeEvent[];
  feedback?: FeedbackEntry[] | { given?: unknown; received?: unknown } | null;
  my_feedback?: FeedbackEntry | null;
}

export interface ChatMessage {
  id: string;
  author: UserRef | null;
  body: string;
  created_at: string;
}

export type FeedbackRating = 'positive' | 'neutral' | 'negative';

export interface FeedbackEntry {
  from?: UserRef | string;
  from_user_id?: string;
  author?: UserRef;
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
  network: 'regtest' | 'testnet' | 'stagenet' | 'mainnet' | string;
}

export interface Deposit {
  txid: string;
  amount: string;
  confirmations: number;
  required_confirmations: number;
  status: 'pending' | 'credited';
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

export interface Reconciliation {
  ledger_liabilities: string;
  wallet_balance: string;
  wallet_unlocked: string;
  pending_deposits: string;
  inflight_withdrawals: string;
  difference: string;
  ok: boolean;
  [extra: string]: unknown;
}

export interface LedgerVerify {
  ok: boolean;
  checked_entries: number;
  problems: unknown[];
}

export type ResolveOutcome = 'release' | 'refund' | 'split';
