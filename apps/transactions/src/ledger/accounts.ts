/**
 * The chart of accounts. Amounts on postings are credit-positive: what Pupero owes (a user's
 * balances) and what it earned (fee income) grow positive; what it holds (the hot wallet) and what
 * it spent (network fees) grow negative. So every entry sums to zero and so does the whole ledger:
 *   -(hot wallet) = user available + user held + fee income + network fees (negative).
 */
export type AccountKind = 'user_available' | 'user_held' | 'platform_hot_wallet' | 'platform_fee_income' | 'platform_network_fees';

export const USER_ACCOUNT_KINDS: readonly AccountKind[] = ['user_available', 'user_held'];

export const PLATFORM = {
  /** The XMR Pupero controls on chain, as the ledger sees it (negative: an asset). */
  hotWallet: 'platform:hot_wallet',
  /** Trade and withdrawal fees earned (positive). */
  feeIncome: 'platform:fee_income',
  /** Monero network fees Pupero paid for withdrawals (negative: an expense). */
  networkFees: 'platform:network_fees',
} as const;

export function availableAccount(userId: string): string {
  return `user:${userId}:available`;
}

export function heldAccount(userId: string): string {
  return `user:${userId}:held`;
}

/** The accounts to create for a user (idempotently) before money moves for them. */
export function userAccounts(userId: string): Array<{ code: string; kind: AccountKind; userId: string }> {
  return [
    { code: availableAccount(userId), kind: 'user_available', userId },
    { code: heldAccount(userId), kind: 'user_held', userId },
  ];
}

export function isUserAccount(kind: AccountKind): boolean {
  return USER_ACCOUNT_KINDS.includes(kind);
}
