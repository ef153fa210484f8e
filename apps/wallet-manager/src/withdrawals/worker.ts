import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import type { Logger } from 'pino';
import { AppError } from '@pupero/http';
import { TransferFailure, type HotWallet, type SignedTransaction } from '../chain/hot-wallet.js';
import type { Ledger } from '../clients/ledger.js';
import type { CrashPoint } from '../config.js';
import type { Lease } from '../shared/lease.js';
import type { WalletMetrics } from '../shared/metrics.js';
import { decideInflight, onSignFailure, selectBatch, splitNetworkFee, type InflightDecision } from './domain.js';
import { BatchConflictError, type BatchRow, type WithdrawalRow, type WithdrawalStore } from './store.js';

export interface WorkerDeps {
  wallet: () => HotWallet;
  store: WithdrawalStore;
  ledger: Ledger;
  lease: Lease;
  logger: Logger;
  metrics?: WalletMetrics;
  requiredConfirmations: number;
  batchMax: number;
  /** Network fee to keep free when choosing a batch (a typical transaction's fee). */
  feeReserve: () => Promise<bigint>;
  /** Test-only fault injection: the process SIGKILLs itself right after this step. */
  crashAfter?: CrashPoint;
  /** What a crash is (default: SIGKILL this process); unit tests throw instead. */
  onCrash?: (point: CrashPoint) => void;
  /** How long a `requested` row may wait for its ledger hold before the worker completes it. */
  requestedGraceSeconds?: number;
}

/**
 * The withdrawal worker. Each run (by the lease holder only):
 *  1. finishes requests whose hold call was interrupted, releases holds of failed withdrawals;
 *  2. recovers every stored transaction BY ITS HASH (re-relaying the stored metadata is
 *     idempotent) and follows confirmations, finalising the ledger at N;
 *  3. only when no signed-but-unrelayed transaction remains, signs the next batch of queued
 *     withdrawals (do_not_relay), stores hash + metadata, then relays it.
 * So a crash at any point never leads to a second transaction for a withdrawal.
 */
export class WithdrawalWorker {
  constructor(private readonly deps: WorkerDeps) {}

  async run(): Promise<void> {
    await this.completeRequested();
    await this.releaseFailed();
    for (const batch of await this.deps.store.openBatches()) await this.advance(batch);
    // Two signed-but-unrelayed transactions could spend the same outputs: one at a time.
    if (!(await this.deps.store.hasSignedBatch())) await this.signNext();
    await this.releaseFailed();
    await this.updateGauges();
  }

  /** Requests whose hold call was interrupted (crash, ledger outage): the hold is idempotent, so place it now. */
  private async completeRequested(): Promise<void> {
    const { store, ledger, logger } = this.deps;
    for (const w of await store.staleRequested(this.deps.requestedGraceSeconds ?? 30)) {
      try {
        await ledger.holdWithdrawal({ withdrawalId: w.id, userId: w.userId, amount: w.amount, fee: w.fee });
        if (await store.markQueued(w.id)) this.transition('queued');
      } catch (error) {
        if (error instanceof AppError && error.statusCode === 409) {
          await store.deleteRequested(w.id);
          logger.info({ withdrawal_id: w.id }, 'interrupted withdrawal request dropped: the ledger refused the hold');
        } else throw error;
      }
    }
  }

  private async releaseFailed(): Promise<void> {
    const { store, ledger, logger } = this.deps;
    for (const w of await store.failedUnreleased()) {
      await ledger.releaseWithdrawal({ withdrawalId: w.id, userId: w.userId });
      await store.markReleased(w.id);
      logger.info({ withdrawal_id: w.id, reason: w.failureReason }, 'withdrawal failed before broadcast: hold released');
    }
  }

  /** Moves one stored transaction forward: relay (again), mark broadcast, track, confirm. */
  private async advance(batch: BatchRow): Promise<void> {
    const { store, logger } = this.deps;
    const wallet = this.deps.wallet();
    let status = batch.status as 'signed' | 'broadcast';
    for (let step = 0; step < 4; step++) {
      const tx = (await wallet.txStates([batch.txHash])).get(batch.txHash) ?? { state: 'unknown' as const };
      let decision: InflightDecision = decideInflight({ status, tx, required: this.deps.requiredConfirmations });
      if (decision.action === 'relay') {
        if (!(await this.deps.lease.ensure())) return;
        let relayed: string | undefined;
        let relayError: Error | undefined;
        try {
          relayed = await wallet.relay(batch.txMetadata);
        } catch (error) {
          relayError = error as Error;
        }
        if (relayed !== undefined) {
          if (relayed !== batch.txHash) {
            this.alert('relay_hash_mismatch');
            logger.error({ batch_id: batch.id, stored: batch.txHash, relayed }, 'relay returned another hash than the stored one');
          }
          this.crashPoint('relayed');
          await store.noteBatch(batch.id, { relayAttempt: true, error: null });
          if (status === 'signed') await this.markBroadcast(batch);
          return;
        }
        const message = relayError?.message ?? 'relay failed';
        await store.noteBatch(batch.id, { relayAttempt: true, error: message });
        // Key images first, then the hash: if our own transaction spent them meanwhile, the hash shows it.
        const keyImages = await wallet.keyImageStates(batch.keyImages);
        const again = (await wallet.txStates([batch.txHash])).get(batch.txHash) ?? { state: 'unknown' as const };
        decision = decideInflight({ status, tx: again, required: this.deps.requiredConfirmations, relayFailed: true, keyImages });
        if (decision.action === 'retry_later') {
          this.alert('relay_failed');
          logger.warn({ batch_id: batch.id, tx_hash: batch.txHash, err: message }, 'relay failed; the transaction stays pending and is retried');
          return;
        }
      }
      switch (decision.action) {
        case 'mark_broadcast':
          await this.markBroadcast(batch);
          status = 'broadcast';
          continue; // look again as broadcast: it may already be deep enough to confirm
        case 'track':
          if (decision.confirmations !== batch.confirmations) await store.noteBatch(batch.id, { height: decision.height, confirmations: decision.confirmations });
          return;
        case 'confirm':
          await this.confirm(batch, decision.height, decision.confirmations);
          return;
        case 'fail_unspendable':
          this.alert('unspendable_transaction');
          logger.error({ batch_id: batch.id, tx_hash: batch.txHash }, 'stored transaction can never be mined (inputs spent elsewhere): failing its withdrawals');
          await store.markBatchFailed(batch.id, decision.reason);
          this.transition('failed');
          return;
        default:
          return;
      }
    }
  }

  private async markBroadcast(batch: BatchRow): Promise<void> {
    await this.deps.store.markBroadcast(batch.id);
    this.transition('broadcast');
    this.deps.logger.info({ batch_id: batch.id, tx_hash: batch.txHash }, 'withdrawal transaction broadcast');
    this.crashPoint('broadcast');
  }

  /** N confirmations: finalise each withdrawal in the ledger (idempotent), then mark it confirmed. */
  private async confirm(batch: BatchRow, height: number, confirmations: number): Promise<void> {
    const { store, ledger, logger } = this.deps;
    for (const w of await store.membersOf(batch.id)) {
      if (w.status !== 'broadcast') continue;
      await ledger.finaliseWithdrawal({ withdrawalId: w.id, userId: w.userId, networkFee: w.networkFee ?? 0n });
      await store.markConfirmed(w.id);
      this.transition('confirmed');
    }
    await store.markBatchConfirmed(batch.id, height, confirmations);
    logger.info({ batch_id: batch.id, tx_hash: batch.txHash, confirmations }, 'withdrawal transaction confirmed; ledger finalised');
  }

  private async signNext(): Promise<void> {
    const { store, logger } = this.deps;
    const queued = await store.oldestQueued(this.deps.batchMax);
    if (queued.length === 0) return;
    const wallet = this.deps.wallet();
    const [balance, reserve] = await Promise.all([wallet.balance(), this.deps.feeReserve()]);
    let batch = selectBatch(queued, balance.unlocked, reserve, this.deps.batchMax);
    if (batch.length === 0) {
      if (balance.balance >= queued[0].amount + reserve) {
        await store.noteQueued([queued[0].id], 'waiting for the hot wallet’s change to unlock');
        return;
      }
      batch = [queued[0]]; // let the wallet give its own verdict (it may fail the withdrawal)
    }
    for (let attempt = 0; attempt < 2 && batch.length > 0; attempt++) {
      if (!(await this.deps.lease.ensure())) return;
      let signed: SignedTransaction;
      try {
        signed = await wallet.sign(batch.map((w) => ({ address: w.address, amount: w.amount })));
      } catch (error) {
        if (!(error instanceof TransferFailure)) throw error;
        const next = onSignFailure(error.kind, batch.length, error.message);
        if (next.action === 'retry_single') {
          logger.warn({ size: batch.length, kind: error.kind }, next.note);
          batch = [batch[0]];
          continue;
        }
        if (next.action === 'wait') {
          await store.noteQueued(batch.map((w) => w.id), next.note);
          return;
        }
        await store.failQueued([batch[0].id], next.reason);
        this.transition('failed');
        logger.warn({ withdrawal_id: batch[0].id, kind: error.kind }, `withdrawal failed before signing: ${error.message}`);
        return;
      }
      await this.storeAndRelay(batch, signed);
      return;
    }
  }

  private async storeAndRelay(batch: WithdrawalRow[], signed: SignedTransaction): Promise<void> {
    const { store, logger } = this.deps;
    const total = batch.reduce((sum, w) => sum + w.amount, 0n);
    if (signed.amount !== total) {
      // Never relayed, so nothing happened on chain: refuse loudly rather than send a wrong amount.
      this.alert('signed_amount_mismatch');
      throw new Error(`wallet signed ${signed.amount} piconero for a batch of ${total}: discarded`);
    }
    const shares = splitNetworkFee(signed.fee, batch.length);
    let stored: BatchRow;
    try {
      stored = await store.storeSignedBatch(
        { id: randomUUID(), txHash: signed.txHash, txMetadata: signed.txMetadata, keyImages: signed.keyImages, totalAmount: total, networkFee: signed.fee },
        batch.map((w, i) => ({ id: w.id, networkFee: shares[i] })),
      );
    } catch (error) {
      if (error instanceof BatchConflictError) {
        logger.warn({ err: error }, 'batch changed while signing: signed transaction discarded (it was never relayed)');
        return;
      }
      throw error;
    }
    for (let i = 0; i < batch.length; i++) this.transition('signed');
    logger.info({ batch_id: stored.id, tx_hash: stored.txHash, withdrawals: batch.length, network_fee: signed.fee.toString() }, 'withdrawal transaction signed and stored');
    this.crashPoint('signed');
    await this.advance(stored);
  }

  private async updateGauges(): Promise<void> {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    const counts = await this.deps.store.countByStatus();
    for (const status of ['queued', 'signed', 'broadcast', 'confirmed', 'failed']) metrics.withdrawalsByStatus.set({ status }, counts[status] ?? 0);
  }

  private transition(status: string): void {
    this.deps.metrics?.withdrawalTransitions.inc({ status });
  }

  private alert(kind: string): void {
    this.deps.metrics?.alerts.inc({ kind });
  }

  /** Fault injection for the crash tests (only ever set with NODE_ENV=test). */
  private crashPoint(point: CrashPoint): void {
    if (this.deps.crashAfter !== point) return;
    const message = `PUPERO_CRASH_AFTER=${point}: killing this process (test fault injection)`;
    this.deps.logger.fatal({ point }, message);
    if (this.deps.onCrash) return this.deps.onCrash(point);
    // The logger writes asynchronously and SIGKILL does not wait: say it synchronously too.
    writeSync(2, `${message}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
