import type { Db } from '@pupero/db';
import { creditDeposit, finaliseWithdrawal, holdWithdrawal, releaseWithdrawal } from '@pupero/transactions/ledger/commands';
import { liabilities, userBalance } from '@pupero/transactions/ledger/ledger-store';
import type { Ledger, LedgerEntryResult } from '../clients/ledger.js';

const result = async (p: Promise<{ entryId: bigint | string; created: boolean }>): Promise<LedgerEntryResult> => {
  const r = await p;
  return { entryId: String(r.entryId), created: r.created };
};

/**
 * The Transactions service's real ledger commands on a test database (what its internal API runs),
 * so a wallet-manager test can end with the real ledger's `verifyLedger`. Tests only.
 */
export class DbLedger implements Ledger {
  constructor(private readonly db: Db) {}

  creditDeposit(p: { userId: string; txid: string; outputKey: string; amount: bigint }) {
    return result(creditDeposit(this.db, p));
  }
  holdWithdrawal(p: { withdrawalId: string; userId: string; amount: bigint; fee: bigint }) {
    return result(holdWithdrawal(this.db, p));
  }
  finaliseWithdrawal(p: { withdrawalId: string; userId: string; networkFee: bigint }) {
    return result(finaliseWithdrawal(this.db, p));
  }
  releaseWithdrawal(p: { withdrawalId: string; userId: string }) {
    return result(releaseWithdrawal(this.db, p));
  }
  async liabilities() {
    const l = await liabilities(this.db);
    return { ...l, total: l.userAvailable + l.userHeld };
  }
  balance(userId: string) {
    return userBalance(this.db, userId);
  }
}
