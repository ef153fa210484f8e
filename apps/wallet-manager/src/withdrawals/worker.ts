import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import type { Logger } from 'pino';
import { ChainUnavailableError, TransferFailure, type HotWallet, type SignedTransaction } from '../chain/hot-wallet.js';
import type { Ledger } from '../clients/ledger.js';
import type { CrashPoint } from '../config.js';
import type { Lease } from '../shared/lease.js';
import type { WalletMetrics } from '../shared/metrics.js';
import {
  backoffMs,
  decideInflight,
  decideInvalidation,
  gaveUpReason,
  onSignFailure,
  reconcileGate,
  selectBatch,
  splitNetworkFee,
  type InflightDecision,
} from './domain.js';
import type { WithdrawalHolds } from './hold.js';
import {
  type Batch,
  BatchConflictError,
  batchMembers,
  countWithdrawalsByStatus,
  failedUnreleasedWithdrawals,
  failQueuedWithdrawals,
  findBatch,
  hasSignedBatch,
  markBatchBroadcast,
  markBatchConfirmed,
  markBatchFailed,
  markHoldReleased,
  markWithdrawalConfirmed,
  noteBatch,
  noteQueuedWithdrawals,
  noteRelayFailure,
  noteWithdrawalAttempt,
  oldestQueuedWithdrawals,
  oldestWithdrawalAgeSeconds,
  openBatches,
  requeueBatch,
  revertToBroadcast,
  setReplacementTx,
  staleRequestedWithdrawals,
  startInvalidation,
  storeSignedBatch,
  stuckWithdrawals,
  type Withdrawal,
} from './withdrawal-store.js';
import { type Db } from '@pupero/db';

/** Retry policy of the queue (WITHDRAWAL_MAX_ATTEMPTS, WITHDRAWAL_RETRY_*; see config.ts). */
export interface RetryPolicy {
  /** Failed sign attempts of one withdrawal, or refused relays of one stored transaction, before giving up. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  /** A withdrawal waiting longer than this (queued or signed) counts as stuck (metrics, alert log, admin list). */
  stuckAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 10_000, maxMs: 3_600_000, stuckAfterMs: 900_000 };

/** How often the stuck-queue alert is logged again while nothing changes. */
const STUCK_ALERT_EVERY_MS = 5 * 60_000;

const RELAY_GAVE_UP =
  'The network refused this withdrawal’s transaction too many times; it was cancelled before it could be sent and your funds were returned to your balance.';

export interface WorkerDeps {
  wallet: () => HotWallet;
  db: Db;
  holds: WithdrawalHolds;
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
  retry?: RetryPolicy;
}

/**
 * The withdrawal worker. Each run (by the lease holder only):
 *  1. finishes requests whose hold call was interrupted, releases holds of failed withdrawals;
 *  2. recovers every stored transaction BY ITS HASH (re-relaying the stored metadata is
 *     idempotent) and follows confirmations, finalising the ledger at N;
 *  3. after a restart (its own, or the wallet's/daemon's: see requireReconcile), reconciles before
 *     signing anything new (see reconcileGate);
 *  4. only when no signed-but-unrelayed transaction remains, signs the next batch of queued
 *     withdrawals (do_not_relay), stores hash + metadata, then relays it.
 * So a crash at any point never leads to a second transaction for a withdrawal.
 */
export class WithdrawalWorker {
  private crashed = false;
  private lastStuckAlert: { at: number; count: number } | undefined;
  /** Signing is allowed only once reconciled; false at start and after the chain was unreachable. */
  private reconciled = false;
  private reconcileSince = Date.now();
  private reconcileReason = 'worker start';
  private lastGateNote: string | undefined;

  constructor(private readonly deps: WorkerDeps) {}

  /**
   * The hot wallet or its daemon may have restarted (a call failed as unreachable, or a supervisor
   * says so): nothing new is signed until reconcile() has seen the wallet caught up and every stored
   * transaction settled. Idempotent.
   */
  requireReconcile(reason: string): void {
    if (!this.reconciled) return;
    this.reconciled = false;
    this.reconcileSince = Date.now();
    this.reconcileReason = reason;
    this.lastGateNote = undefined;
    this.deps.logger.warn({ reason }, 'withdrawal worker: reconciling with the chain before signing anything new');
  }

  /** For /admin/wallet/status and tests: whether new batches may be signed now. */
  get isReconciled(): boolean {
    return this.reconciled;
  }

  private get retry(): RetryPolicy {
    return this.deps.retry ?? DEFAULT_RETRY;
  }

  /**
   * Every step, and inside a step every withdrawal / transaction, is handled on its own: an error
   * there is logged and the rest of the run goes on (one bad row never stalls everyone's).
   */
  async run(): Promise<void> {
    await this.step('complete requests', () => this.completeRequested());
    await this.step('release holds', () => this.releaseFailed());
    const open = (await this.step('read open transactions', () => openBatches(this.deps.db))) ?? [];
    for (const batch of open)
      await this.step('advance transaction', () => this.advance(batch), { batch_id: batch.id, tx_hash: batch.txHash });
    if (!this.reconciled) await this.step('reconcile', () => this.reconcile());
    // Two signed-but-unrelayed transactions could spend the same outputs: one at a time. (An
    // `invalidating` one is never relayed again, so it does not count.)
    if (this.reconciled && (await this.step('check signed', () => hasSignedBatch(this.deps.db))) === false)
      await this.step('sign', () => this.signNext());
    await this.step('release holds', () => this.releaseFailed());
    await this.step('watch queue', () => this.watchQueue());
  }

  private async step<T>(name: string, fn: () => Promise<T>, context: Record<string, unknown> = {}): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (this.crashed) throw error; // test fault injection: the "process" is dead
      if (error instanceof ChainUnavailableError) this.requireReconcile(`${name}: ${error.message}`);
      this.deps.logger.warn({ err: error, step: name, ...context }, `withdrawal worker: ${name} failed; the rest of the run goes on`);
      return undefined;
    }
  }

  /** Requests whose hold call was interrupted (crash, ledger outage): the hold is idempotent, so place it now. */
  private async completeRequested(): Promise<void> {
    const { db, holds, logger } = this.deps;
    for (const w of await staleRequestedWithdrawals(db, this.deps.requestedGraceSeconds ?? 30)) {
      await this.step(
        'complete request',
        async () => {
          const after = await holds.place(w.id);
          if (after.status === 'queued') this.transition('queued');
          if (after.status === 'rejected')
            logger.info({ withdrawal_id: w.id }, 'interrupted withdrawal request rejected: the ledger refused the hold');
        },
        { withdrawal_id: w.id },
      );
    }
  }

  private async releaseFailed(): Promise<void> {
    const { db, ledger, logger } = this.deps;
    for (const w of await failedUnreleasedWithdrawals(db)) {
      await this.step(
        'release hold',
        async () => {
          await ledger.releaseWithdrawal({ withdrawalId: w.id, userId: w.userId });
          await markHoldReleased(db, w.id);
          logger.info({ withdrawal_id: w.id, reason: w.failureReason }, 'withdrawal failed (its money cannot leave): hold released');
        },
        { withdrawal_id: w.id },
      );
    }
  }

  /** The gate of reconcileGate, checked once per run until it opens (the wallet scans to the daemon's height first). */
  private async reconcile(): Promise<void> {
    const { db, logger } = this.deps;
    const wallet = this.deps.wallet();
    const open = (await openBatches(db)).filter((b) => b.status === 'signed' || b.status === 'broadcast');
    const states = await wallet.txStates(open.map((b) => b.txHash));
    // After the look-ups: a transaction seen mined above is then in a block the wallet has scanned.
    const heights = await wallet.refreshToDaemon();
    const gate = reconcileGate({
      ...heights,
      open: open.map((b) => ({
        status: b.status as 'signed' | 'broadcast',
        txHash: b.txHash,
        tx: states.get(b.txHash) ?? { state: 'unknown' },
      })),
    });
    if (!gate.ready) {
      if (gate.note !== this.lastGateNote) logger.info({ reason: this.reconcileReason, note: gate.note }, 'reconciling: signing waits');
      this.lastGateNote = gate.note;
      return;
    }
    this.reconciled = true;
    logger.info(
      {
        reason: this.reconcileReason,
        reconcile_ms: Date.now() - this.reconcileSince,
        wallet_height: heights.wallet,
        open_transactions: open.length,
      },
      'reconciled with the chain: signing resumes',
    );
  }

  /** Moves one stored transaction forward: relay (again), mark broadcast, track, confirm. */
  private async advance(batch: Batch): Promise<void> {
    const { db, logger } = this.deps;
    if (batch.status === 'invalidating') return this.invalidate(batch);
    const wallet = this.deps.wallet();
    let status = batch.status as 'signed' | 'broadcast';
    for (let step = 0; step < 4; step++) {
      let tx = (await wallet.txStates([batch.txHash])).get(batch.txHash) ?? { state: 'unknown' as const };
      let decision: InflightDecision = decideInflight({ status, tx, required: this.deps.requiredConfirmations });
      if (decision.action === 'check_inputs') {
        // Key images first, then the hash: if our own transaction spent them meanwhile, the hash shows it.
        const keyImages = await wallet.keyImageStates(batch.keyImages);
        tx = (await wallet.txStates([batch.txHash])).get(batch.txHash) ?? { state: 'unknown' as const };
        decision = decideInflight({ status, tx, required: this.deps.requiredConfirmations, keyImages });
      }
      if (decision.action === 'relay') {
        if (batch.nextRelayAt && batch.nextRelayAt.getTime() > Date.now()) return; // backing off
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
          await noteBatch(db, batch.id, { relayAttempt: true, error: null });
          if (status === 'signed') await this.markBroadcast(batch);
          return;
        }
        const message = relayError?.message ?? 'relay failed';
        await noteBatch(db, batch.id, { relayAttempt: true, error: message });
        // The wallet-rpc could not be reached (or timed out): not a refusal by the daemon, not counted.
        if (relayError instanceof ChainUnavailableError) return this.requireReconcile(`relay: ${message}`);
        // Key images first, then the hash: if our own transaction spent them meanwhile, the hash shows it.
        const keyImages = await wallet.keyImageStates(batch.keyImages);
        const again = (await wallet.txStates([batch.txHash])).get(batch.txHash) ?? { state: 'unknown' as const };
        decision = decideInflight({ status, tx: again, required: this.deps.requiredConfirmations, relayFailed: true, keyImages });
        if (decision.action === 'retry_later') {
          this.alert('relay_failed');
          const failures = await noteRelayFailure(
            db,
            batch.id,
            message,
            backoffMs(batch.relayFailures + 1, this.retry.baseMs, this.retry.maxMs),
          );
          if (failures < this.retry.maxAttempts) {
            logger.warn(
              { batch_id: batch.id, tx_hash: batch.txHash, err: message, failures },
              'relay failed; the transaction stays pending and is retried',
            );
            return;
          }
          await this.giveUpRelaying(batch, failures, message);
          return;
        }
      }
      switch (decision.action) {
        case 'mark_broadcast':
          await this.markBroadcast(batch);
          status = 'broadcast';
          continue; // look again as broadcast: it may already be deep enough to confirm
        case 'track':
          if (decision.confirmations !== batch.confirmations)
            await noteBatch(db, batch.id, { height: decision.height, confirmations: decision.confirmations });
          return;
        case 'confirm':
          await this.confirm(batch, decision.height, decision.confirmations);
          return;
        case 'relay_pooled':
          // The daemon holds it but never passed it on (seen after a daemon restart): it may never be mined otherwise.
          this.alert('pool_transaction_unrelayed');
          await wallet.relayPooled([batch.txHash]);
          await noteBatch(db, batch.id, { relayAttempt: true, error: null });
          logger.warn(
            { batch_id: batch.id, tx_hash: batch.txHash },
            'our transaction sat in the pool unrelayed: asked the daemon to relay it',
          );
          return;
        case 'requeue': {
          this.alert('transaction_dropped_requeued');
          const ids = await requeueBatch(db, batch.id, decision.note);
          for (const _ of ids) this.transition('queued');
          logger.warn({ batch_id: batch.id, tx_hash: batch.txHash, withdrawals: ids }, `stored transaction dropped: ${decision.note}`);
          // The wallet must see the spending transaction before it signs these again.
          this.requireReconcile('a stored transaction was dropped');
          return;
        }
        case 'wait':
          await noteBatch(db, batch.id, { error: decision.note });
          return;
        default:
          return;
      }
    }
  }

  /**
   * The daemon refused this stored transaction `failures` times. Forgetting it would be wrong (a
   * signed blob can still be relayed — by us, or by anyone it reached — and then the money leaves
   * after its hold was released). So: wipe its metadata in the same update that marks it
   * `invalidating` (this service can never relay it again), then prove it dead (invalidate()).
   */
  private async giveUpRelaying(batch: Batch, failures: number, message: string): Promise<void> {
    if (!(await startInvalidation(this.deps.db, batch.id, RELAY_GAVE_UP))) return;
    this.alert('stuck_transaction_invalidated');
    this.deps.logger.error(
      { batch_id: batch.id, tx_hash: batch.txHash, failures, err: message },
      'stored withdrawal transaction refused too often: it will never be relayed again; spending its inputs elsewhere before failing its withdrawals',
    );
    const again = await findBatch(this.deps.db, batch.id);
    if (again) await this.invalidate(again);
  }

  /**
   * Proves an `invalidating` transaction can never be mined before its withdrawals fail (see
   * decideInvalidation): by spending one of its inputs in a replacement transaction to ourselves.
   * Monero rejects a second spend of a key image, so once the replacement is mined (and deep), the
   * stored transaction is invalid everywhere, whoever still holds it. If the stored transaction
   * shows up in the pool or on chain first, it did leave: it is tracked and confirmed as usual.
   */
  private async invalidate(batch: Batch): Promise<void> {
    const { db, logger } = this.deps;
    const wallet = this.deps.wallet();
    // Key images first, then the hash: a transaction mined between the two calls shows up by hash.
    const keyImages = await wallet.keyImageStates(batch.keyImages);
    const hashes = batch.replacementTxHash ? [batch.txHash, batch.replacementTxHash] : [batch.txHash];
    const states = await wallet.txStates(hashes);
    const decision = decideInvalidation({
      tx: states.get(batch.txHash) ?? { state: 'unknown' },
      keyImages,
      replacement: batch.replacementTxHash ? (states.get(batch.replacementTxHash) ?? { state: 'unknown' }) : null,
      required: this.deps.requiredConfirmations,
      reason: batch.invalidateReason ?? RELAY_GAVE_UP,
    });
    switch (decision.action) {
      case 'back_to_broadcast':
        this.alert('invalidated_transaction_seen');
        logger.error(
          { batch_id: batch.id, tx_hash: batch.txHash },
          'a transaction being invalidated reached the network after all: tracking it as broadcast',
        );
        await revertToBroadcast(db, batch.id);
        return;
      case 'replace': {
        if (!(await this.deps.lease.ensure())) return;
        const hash = await wallet.replaceInputs(batch.keyImages);
        await setReplacementTx(db, batch.id, hash);
        logger.warn(
          { batch_id: batch.id, tx_hash: batch.txHash, replacement_tx_hash: hash },
          'replacement transaction relayed: it spends an input of the stuck one',
        );
        return;
      }
      case 'wait':
        await noteBatch(db, batch.id, { error: decision.note });
        return;
      case 'fail': {
        const members = await batchMembers(db, batch.id);
        await markBatchFailed(db, batch.id, decision.reason);
        for (const m of members) if (m.status === 'signed' || m.status === 'broadcast') this.transition('failed');
        logger.error(
          {
            batch_id: batch.id,
            tx_hash: batch.txHash,
            replacement_tx_hash: batch.replacementTxHash,
            withdrawals: members.map((m) => m.id),
          },
          'stuck transaction proven invalid (an input is spent on chain by another transaction): its withdrawals failed, holds are released',
        );
        return;
      }
    }
  }

  private async markBroadcast(batch: Batch): Promise<void> {
    await markBatchBroadcast(this.deps.db, batch.id);
    this.transition('broadcast');
    this.deps.logger.info({ batch_id: batch.id, tx_hash: batch.txHash }, 'withdrawal transaction broadcast');
    this.crashPoint('broadcast');
  }

  /** N confirmations: finalise each withdrawal in the ledger (idempotent), then mark it confirmed. */
  private async confirm(batch: Batch, height: number, confirmations: number): Promise<void> {
    const { db, ledger, logger } = this.deps;
    let pending = 0;
    for (const w of await batchMembers(db, batch.id)) {
      if (w.status !== 'broadcast') continue;
      const done = await this.step(
        'finalise withdrawal',
        async () => {
          await ledger.finaliseWithdrawal({ withdrawalId: w.id, userId: w.userId, networkFee: w.networkFee ?? 0n });
          await markWithdrawalConfirmed(db, w.id);
          this.transition('confirmed');
          return true;
        },
        { withdrawal_id: w.id },
      );
      if (!done) pending++;
    }
    if (pending > 0) return; // the batch stays open: the next run finalises the rest (idempotent)
    await markBatchConfirmed(db, batch.id, height, confirmations);
    logger.info({ batch_id: batch.id, tx_hash: batch.txHash, confirmations }, 'withdrawal transaction confirmed; ledger finalised');
  }

  private async signNext(): Promise<void> {
    const { db } = this.deps;
    const queued = await oldestQueuedWithdrawals(db, this.deps.batchMax);
    const [oldest] = queued;
    if (!oldest) return;
    const wallet = this.deps.wallet();
    const [balance, reserve] = await Promise.all([wallet.balance(), this.deps.feeReserve()]);
    let batch = selectBatch(queued, balance.unlocked, reserve, this.deps.batchMax);
    if (batch.length === 0) {
      if (balance.balance >= oldest.amount + reserve) {
        await noteQueuedWithdrawals(db, [oldest.id], 'waiting for the hot wallet’s change to unlock');
        return;
      }
      batch = [oldest]; // let the wallet give its own verdict (it may fail the withdrawal)
    }
    await this.trySign(batch);
  }

  /**
   * Signs `batch` as one transaction, stores it and relays it. When the wallet refuses a batch,
   * each member is tried alone (oldest first) until one goes through: one bad destination never
   * holds up the others. A member refused alone is failed now, or counted and retried with backoff
   * until its last attempt fails it — nothing was signed for it, so its money provably stays.
   * Returns true once a transaction was stored.
   */
  private async trySign(batch: Withdrawal[]): Promise<boolean> {
    const { db, logger } = this.deps;
    const [first] = batch;
    if (!first || !(await this.deps.lease.ensure())) return false;
    this.crashPoint('signing');
    let signed: SignedTransaction;
    try {
      signed = await this.deps.wallet().sign(batch.map((w) => ({ address: w.address, amount: w.amount })));
    } catch (error) {
      if (!(error instanceof TransferFailure)) throw error; // the wallet is unreachable: nobody's fault, try next run
      const next = onSignFailure(error.kind, batch.length, error.message);
      switch (next.action) {
        case 'split':
          logger.warn({ size: batch.length, kind: error.kind }, next.note);
          for (const w of batch) {
            if (await this.step('sign alone', () => this.trySign([w]), { withdrawal_id: w.id })) return true;
          }
          return false;
        case 'wait':
          await noteQueuedWithdrawals(
            db,
            batch.map((w) => w.id),
            next.note,
          );
          return false;
        case 'retry': {
          const w = first;
          const attempts = await noteWithdrawalAttempt(db, w.id, next.note, backoffMs(w.attempts + 1, this.retry.baseMs, this.retry.maxMs));
          if (attempts < this.retry.maxAttempts) {
            logger.warn(
              { withdrawal_id: w.id, attempts, kind: error.kind, err: error.message },
              'withdrawal could not be signed; retried later',
            );
            return false;
          }
          await failQueuedWithdrawals(db, [w.id], gaveUpReason(attempts, error.message));
          this.transition('failed');
          this.alert('withdrawal_gave_up');
          logger.error(
            { withdrawal_id: w.id, attempts, err: error.message },
            'withdrawal failed after its last attempt (never signed): hold is released',
          );
          return false;
        }
        case 'fail':
          await failQueuedWithdrawals(db, [first.id], next.reason);
          this.transition('failed');
          logger.warn({ withdrawal_id: first.id, kind: error.kind }, `withdrawal failed before signing: ${error.message}`);
          return false;
      }
    }
    return this.storeAndRelay(batch, signed);
  }

  private async storeAndRelay(batch: Withdrawal[], signed: SignedTransaction): Promise<boolean> {
    const { db, logger } = this.deps;
    const total = batch.reduce((sum, w) => sum + w.amount, 0n);
    if (signed.amount !== total) {
      // Never relayed, so nothing happened on chain: refuse loudly rather than send a wrong amount.
      this.alert('signed_amount_mismatch');
      throw new Error(`wallet signed ${signed.amount} piconero for a batch of ${total}: discarded`);
    }
    const shares = splitNetworkFee(signed.fee, batch.length);
    let stored: Batch;
    try {
      stored = await storeSignedBatch(
        db,
        {
          id: randomUUID(),
          txHash: signed.txHash,
          txMetadata: signed.txMetadata,
          txBlob: signed.txBlob,
          keyImages: signed.keyImages,
          totalAmount: total,
          networkFee: signed.fee,
        },
        batch.map((w, i) => {
          const networkFee = shares[i];
          if (networkFee === undefined) throw new Error('splitNetworkFee gave fewer shares than withdrawals');
          return { id: w.id, networkFee };
        }),
      );
    } catch (error) {
      if (error instanceof BatchConflictError) {
        logger.warn({ err: error }, 'batch changed while signing: signed transaction discarded (it was never relayed)');
        return false;
      }
      throw error;
    }
    for (let i = 0; i < batch.length; i++) this.transition('signed');
    logger.info(
      { batch_id: stored.id, tx_hash: stored.txHash, withdrawals: batch.length, network_fee: signed.fee.toString() },
      'withdrawal transaction signed and stored',
    );
    this.crashPoint('signed');
    await this.advance(stored);
    return true;
  }

  /** Queue gauges, and an alert-level log while withdrawals are stuck (again every few minutes, or when the count changes). */
  private async watchQueue(): Promise<void> {
    const { db, metrics, logger } = this.deps;
    const [counts, stuck] = await Promise.all([countWithdrawalsByStatus(db), stuckWithdrawals(db, this.retry.stuckAfterMs)]);
    const now = Date.now();
    const oldest = (status: string) => {
      const rows = stuck.filter((w) => w.status === status);
      return rows.length ? Math.max(0, (now - Math.min(...rows.map((w) => w.createdAt.getTime()))) / 1000) : 0;
    };
    if (metrics) {
      for (const status of ['queued', 'signed', 'broadcast', 'confirmed', 'failed'])
        metrics.withdrawalsByStatus.set({ status }, counts[status] ?? 0);
      metrics.withdrawalsStuck.set(stuck.length);
      metrics.oldestQueuedSeconds.set(await oldestWithdrawalAgeSeconds(db, 'queued'));
      metrics.oldestSignedSeconds.set(await oldestWithdrawalAgeSeconds(db, 'signed'));
    }
    if (stuck.length === 0) {
      this.lastStuckAlert = undefined;
      return;
    }
    const last = this.lastStuckAlert;
    if (last && last.count === stuck.length && now - last.at < STUCK_ALERT_EVERY_MS) return;
    this.lastStuckAlert = { at: now, count: stuck.length };
    this.alert('withdrawal_queue_stuck');
    logger.error(
      {
        alert: 'withdrawal_queue_stuck',
        stuck: stuck.length,
        oldest_stuck_queued_seconds: Math.round(oldest('queued')),
        oldest_stuck_signed_seconds: Math.round(oldest('signed')),
        withdrawals: stuck.slice(0, 10).map((w) => ({
          id: w.id,
          status: w.status,
          attempts: w.attempts,
          relay_failures: w.relayFailures,
          last_error: w.lastError ?? w.batchError,
        })),
      },
      'withdrawal queue stuck: see GET /admin/wallet/withdrawals/stuck',
    );
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
    this.crashed = true;
    const message = `PUPERO_CRASH_AFTER=${point}: killing this process (test fault injection)`;
    this.deps.logger.fatal({ point }, message);
    if (this.deps.onCrash) return this.deps.onCrash(point);
    // The logger writes asynchronously and SIGKILL does not wait: say it synchronously too.
    writeSync(2, `${message}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
