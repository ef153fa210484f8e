/**
 * Reconciliation arithmetic (pure). The hot wallet must hold at least what Pupero owes its users:
 *
 *   difference = wallet_balance − pending_deposits + inflight_withdrawals − ledger_liabilities
 *
 * - pending_deposits: received by the wallet (mined) but not yet credited to anyone;
 * - inflight_withdrawals: amount + network fee of withdrawals that already left the wallet's
 *   balance (broadcast) but are still held in the ledger (finalised only after N confirmations).
 *
 * difference is the platform's own money in the wallet (withdrawal fees minus network fees,
 * trade fees, uncreditable deposits): never negative. ok = difference >= 0.
 */
export interface ReconciliationInputs {
  ledgerLiabilities: bigint;
  walletBalance: bigint;
  walletUnlocked: bigint;
  pendingDeposits: bigint;
  inflightWithdrawals: bigint;
}

export interface Reconciliation extends ReconciliationInputs {
  difference: bigint;
  ok: boolean;
}

export function reconcile(i: ReconciliationInputs): Reconciliation {
  const difference = i.walletBalance - i.pendingDeposits + i.inflightWithdrawals - i.ledgerLiabilities;
  return { ...i, difference, ok: difference >= 0n };
}
