import { ServiceClient } from '@pupero/http';
import { formatXmr, parseXmr } from '@pupero/money';

export interface LedgerEntryResult {
  entryId: string;
  created: boolean;
}

/** The Transactions API's idempotent ledger calls the wallet manager makes (docs/internal-api.md). */
export interface Ledger {
  creditDeposit(p: { userId: string; txid: string; outputKey: string; amount: bigint }): Promise<LedgerEntryResult>;
  /** Throws an AppError 409 insufficient_funds when the user's available balance is too small. */
  holdWithdrawal(p: { withdrawalId: string; userId: string; amount: bigint; fee: bigint }): Promise<LedgerEntryResult>;
  finaliseWithdrawal(p: { withdrawalId: string; userId: string; networkFee: bigint }): Promise<LedgerEntryResult>;
  releaseWithdrawal(p: { withdrawalId: string; userId: string }): Promise<LedgerEntryResult>;
  /** What Pupero owes its users (available + held). */
  liabilities(): Promise<{ userAvailable: bigint; userHeld: bigint; total: bigint }>;
}

interface EntryBody {
  entry_id: string;
  created: boolean;
}

const entry = (b: EntryBody): LedgerEntryResult => ({ entryId: String(b.entry_id), created: b.created === true });

export class HttpLedger implements Ledger {
  constructor(private readonly client: ServiceClient) {}

  static create(transactionsUrl: () => string, serviceToken: string): HttpLedger {
    return new HttpLedger(new ServiceClient('transactions', transactionsUrl, serviceToken));
  }

  async creditDeposit(p: { userId: string; txid: string; outputKey: string; amount: bigint }) {
    return entry(
      await this.client.post<EntryBody>('/internal/ledger/deposits', {
        user_id: p.userId,
        txid: p.txid,
        output_key: p.outputKey,
        amount: formatXmr(p.amount),
      }),
    );
  }

  async holdWithdrawal(p: { withdrawalId: string; userId: string; amount: bigint; fee: bigint }) {
    return entry(
      await this.client.post<EntryBody>('/internal/ledger/withdrawals/hold', {
        withdrawal_id: p.withdrawalId,
        user_id: p.userId,
        amount: formatXmr(p.amount),
        fee: formatXmr(p.fee),
      }),
    );
  }

  async finaliseWithdrawal(p: { withdrawalId: string; userId: string; networkFee: bigint }) {
    return entry(
      await this.client.post<EntryBody>('/internal/ledger/withdrawals/finalise', {
        withdrawal_id: p.withdrawalId,
        user_id: p.userId,
        network_fee: formatXmr(p.networkFee),
      }),
    );
  }

  async releaseWithdrawal(p: { withdrawalId: string; userId: string }) {
    return entry(
      await this.client.post<EntryBody>('/internal/ledger/withdrawals/release', { withdrawal_id: p.withdrawalId, user_id: p.userId }),
    );
  }

  async liabilities() {
    const b = await this.client.get<{ user_available: string; user_held: string; total: string }>('/internal/ledger/liabilities');
    return { userAvailable: parseXmr(b.user_available), userHeld: parseXmr(b.user_held), total: parseXmr(b.total) };
  }
}
