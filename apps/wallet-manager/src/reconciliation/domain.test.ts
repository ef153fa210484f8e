import { describe, expect, it } from 'vitest';
import { reconcile } from './domain.js';

describe('reconciliation', () => {
  const base = { ledgerLiabilities: 1000n, walletBalance: 1000n, walletUnlocked: 800n, pendingDeposits: 0n, inflightWithdrawals: 0n };

  it('is ok when the wallet holds exactly what users are owed', () => {
    expect(reconcile(base)).toMatchObject({ difference: 0n, ok: true });
  });

  it('explains a received but not yet credited deposit', () => {
    expect(reconcile({ ...base, walletBalance: 1300n, pendingDeposits: 300n })).toMatchObject({ difference: 0n, ok: true });
  });

  it('explains a broadcast withdrawal still held in the ledger', () => {
    // 200 sent + 3 network fee have left the wallet; the ledger still holds 200 + 5 user fee.
    expect(reconcile({ ...base, ledgerLiabilities: 1000n, walletBalance: 797n, inflightWithdrawals: 203n })).toMatchObject({
      difference: 0n,
      ok: true,
    });
    // After finalising: 205 left the users' books, the platform keeps 5 − 3 = 2.
    expect(reconcile({ ...base, ledgerLiabilities: 795n, walletBalance: 797n })).toMatchObject({ difference: 2n, ok: true });
  });

  it('is not ok when the wallet holds less than it owes', () => {
    expect(reconcile({ ...base, walletBalance: 999n })).toMatchObject({ difference: -1n, ok: false });
  });
});
