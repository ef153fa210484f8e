import { AppError } from '@pupero/http';

/** The ledger's own 409s (the Transactions API's codes, not the wallet manager's). */
const conflict = (code: string, message: string) => new AppError(409, code, message);
import type { Ledger, LedgerEntryResult } from '../clients/ledger.js';

/** An in-memory ledger with the Transactions API's idempotency and insufficient-funds rules (unit tests only). */
export class FakeLedger implements Ledger {
  readonly available = new Map<string, bigint>();
  readonly held = new Map<string, bigint>();
  readonly entries = new Map<string, string>();
  readonly calls: string[] = [];
  platform = 0n;
  private holds = new Map<string, { userId: string; amount: bigint; fee: bigint; state: 'held' | 'finalised' | 'released' }>();
  private next = 0;

  fund(userId: string, amount: bigint): void {
    this.available.set(userId, (this.available.get(userId) ?? 0n) + amount);
  }

  private once(key: string, apply: () => void): LedgerEntryResult {
    this.calls.push(key);
    const existing = this.entries.get(key);
    if (existing) return { entryId: existing, created: false };
    apply();
    const entryId = `e${++this.next}`;
    this.entries.set(key, entryId);
    return { entryId, created: true };
  }

  async creditDeposit(p: { userId: string; txid: string; outputKey: string; amount: bigint }) {
    return this.once(`deposit:${p.txid}:${p.outputKey}`, () => this.fund(p.userId, p.amount));
  }

  async holdWithdrawal(p: { withdrawalId: string; userId: string; amount: bigint; fee: bigint }) {
    const key = `withdrawal:${p.withdrawalId}:hold`;
    if (!this.entries.has(key) && (this.available.get(p.userId) ?? 0n) < p.amount + p.fee) {
      throw conflict('insufficient_funds', 'Your available balance is too small.');
    }
    return this.once(key, () => {
      this.available.set(p.userId, (this.available.get(p.userId) ?? 0n) - p.amount - p.fee);
      this.held.set(p.userId, (this.held.get(p.userId) ?? 0n) + p.amount + p.fee);
      this.holds.set(p.withdrawalId, { userId: p.userId, amount: p.amount, fee: p.fee, state: 'held' });
    });
  }

  async finaliseWithdrawal(p: { withdrawalId: string; userId: string; networkFee: bigint }) {
    return this.once(`withdrawal:${p.withdrawalId}:finalise`, () => {
      const h = this.holds.get(p.withdrawalId);
      if (!h || h.state !== 'held') throw conflict('withdrawal_not_held', 'no hold to finalise');
      h.state = 'finalised';
      this.held.set(h.userId, (this.held.get(h.userId) ?? 0n) - h.amount - h.fee);
      this.platform += h.fee - p.networkFee;
    });
  }

  async releaseWithdrawal(p: { withdrawalId: string; userId: string }) {
    return this.once(`withdrawal:${p.withdrawalId}:release`, () => {
      const h = this.holds.get(p.withdrawalId);
      if (!h || h.state !== 'held') throw conflict('withdrawal_not_held', 'no hold to release');
      h.state = 'released';
      this.held.set(h.userId, (this.held.get(h.userId) ?? 0n) - h.amount - h.fee);
      this.available.set(h.userId, (this.available.get(h.userId) ?? 0n) + h.amount + h.fee);
    });
  }

  async liabilities() {
    const sum = (m: Map<string, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
    const userAvailable = sum(this.available);
    const userHeld = sum(this.held);
    return { userAvailable, userHeld, total: userAvailable + userHeld };
  }

  holdState(withdrawalId: string) {
    return this.holds.get(withdrawalId)?.state;
  }
}
