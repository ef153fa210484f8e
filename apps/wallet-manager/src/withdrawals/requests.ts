import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { badRequest, conflict, unauthorized, walletErrorCode } from '../shared/errors.js';
import { formatXmr, parseXmr } from '@pupero/money';
import type { HotWallet } from '../chain/hot-wallet.js';
import type { TwoFactor } from '../clients/login.js';
import type { MoneroNetwork } from '../config.js';
import { RequestDeadline } from '../shared/deadline.js';
import { addressProblem, idempotencyOutcome, looksLikeAddress, requestHash } from './domain.js';
import type { WithdrawalHolds } from './hold.js';
import { findWithdrawal, findWithdrawalByKey, insertRequestedWithdrawal, type Withdrawal } from './withdrawal-store.js';
import { type Db } from '@pupero/db';

export interface WithdrawalRequest {
  address: string;
  amount: string;
  totp_code?: string;
}

const invalidAddress = (message: string) => badRequest('invalid_address', message);

/**
 * POST /wallet/withdrawals: idempotency by key, address check for the network, 2FA, then the
 * ledger hold. The row is written as `requested` before the hold and becomes `queued` after it,
 * so a hold is never placed without a row that the worker (or a retry) will finish; when the
 * ledger refuses, the row becomes `rejected` (internal, never listed) and the key answers the same
 * 409 for ever. Hold + mark are serialised per withdrawal (WithdrawalHolds).
 * The wallet/daemon calls run within the request's deadline, and the row is only written while
 * it is still open: a request answered 503 never leaves a withdrawal behind.
 */
export class WithdrawalRequests {
  constructor(
    private readonly deps: {
      db: Db;
      holds: WithdrawalHolds;
      wallet: () => HotWallet;
      twoFactor: TwoFactor;
      network: MoneroNetwork;
      quoteFee: () => Promise<bigint>;
      onQueued: () => void;
      logger: Logger;
    },
  ) {}

  async create(
    userId: string,
    idempotencyKey: string,
    body: WithdrawalRequest,
    deadline = RequestDeadline.unlimited(),
  ): Promise<Withdrawal> {
    const { db } = this.deps;
    const address = body.address.trim();
    const amount = parseXmr(body.amount);
    const hash = requestHash(address, amount);

    const existing = await findWithdrawalByKey(db, userId, idempotencyKey);
    if (existing) return this.replay(existing, hash);

    if (!looksLikeAddress(address)) throw invalidAddress('This is not a Monero address (95 or 106 base58 characters).');
    const problem = addressProblem(await deadline.step('wallet', this.deps.wallet().checkAddress(address)), this.deps.network);
    if (problem) throw invalidAddress(problem);

    await this.requireSecondFactor(userId, body.totp_code);

    const id = randomUUID();
    const fee = await deadline.step('daemon', this.deps.quoteFee());
    deadline.commit('wallet');
    if (!(await insertRequestedWithdrawal(db, { id, userId, address, amount, fee, idempotencyKey, requestHash: hash }))) {
      // A concurrent request with the same key won the insert.
      const winner = await findWithdrawalByKey(db, userId, idempotencyKey);
      if (!winner) throw new Error('idempotency key conflict without a row');
      return this.replay(winner, hash);
    }
    return this.hold((await findWithdrawal(db, id))!);
  }

  private async replay(existing: Withdrawal, hash: string): Promise<Withdrawal> {
    if (idempotencyOutcome(existing.requestHash, hash) === 'conflict') {
      throw conflict(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different withdrawal; use a new key for a new request.',
      );
    }
    return existing.status === 'requested' || existing.status === 'rejected' ? this.hold(existing) : existing;
  }

  /** Places the ledger hold (idempotent per withdrawal id) and queues the withdrawal, or answers why not. */
  private async hold(w: Withdrawal): Promise<Withdrawal> {
    const after = await this.deps.holds.place(w.id);
    if (after.status === 'rejected') {
      if (after.failureReason === 'insufficient_funds') {
        throw conflict('insufficient_funds', 'Your available balance does not cover this amount plus the withdrawal fee.', {
          amount: formatXmr(w.amount),
          fee: formatXmr(w.fee),
        });
      }
      throw conflict(
        walletErrorCode(after.failureReason) ?? 'withdrawal_refused',
        'The ledger refused to hold the funds for this withdrawal.',
      );
    }
    if (after.status === 'queued' && w.status === 'requested') {
      this.deps.logger.info({ withdrawal_id: w.id, user_id: w.userId, amount: w.amount.toString() }, 'withdrawal queued');
      this.deps.onQueued();
    }
    return after;
  }

  private async requireSecondFactor(userId: string, code: string | undefined): Promise<void> {
    const { twoFactor } = this.deps;
    if (code === undefined || code === '') {
      if (await twoFactor.isEnabled(userId)) {
        throw unauthorized(
          'two_factor_required',
          'Two-factor authentication is on: send totp_code (a TOTP or recovery code) with the withdrawal.',
        );
      }
      return;
    }
    const result = await twoFactor.verify(userId, code);
    if (result.enabled && !result.valid) {
      throw unauthorized('two_factor_required', 'The two-factor code is wrong or was already used; send a fresh totp_code.');
    }
  }
}
