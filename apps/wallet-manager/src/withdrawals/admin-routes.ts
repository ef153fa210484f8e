import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, TAGS } from '@pupero/http';
import { formatXmr } from '@pupero/money';
import type { WalletContext } from '../context.js';
import type { AdminActionRecord } from './admin.js';
import { type StuckWithdrawal, stuckWithdrawals, type Withdrawal } from './withdrawal-store.js';
import { authed, errorSchema } from '../shared/errors.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const stuckSchema = z.object({
  id: z.string(),
  user_id: z.string(),
  status: z.enum(['queued', 'signed', 'broadcast', 'confirmed', 'failed']),
  address: z.string(),
  amount: z.string(),
  fee: z.string(),
  attempts: z.number().int().describe('failed sign attempts of this withdrawal (WITHDRAWAL_MAX_ATTEMPTS fails it)'),
  next_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  txid: z.string().nullable(),
  transaction_status: z.enum(['signed', 'broadcast', 'confirmed', 'failed', 'invalidating', 'dropped']).nullable(),
  relay_failures: z.number().int().nullable().describe('refused relays of its signed transaction in a row'),
  next_relay_at: z.string().nullable(),
  replacement_txid: z.string().nullable().describe('while invalidating: our transaction that re-spends an input of the stuck one'),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const actionSchema = z.object({
  id: z.string(),
  withdrawal_id: z.string(),
  action: z.enum(['retry', 'fail']),
  actor_id: z.string(),
  reason: z.string(),
  status_before: z.string(),
  outcome: z.string(),
  created_at: z.string(),
});

const publicStatus = (s: Withdrawal['status']) => (s === 'requested' ? 'queued' : s === 'rejected' ? 'failed' : s);

function stuckView(w: StuckWithdrawal): z.infer<typeof stuckSchema> {
  return {
    id: w.id,
    user_id: w.userId,
    status: publicStatus(w.status),
    address: w.address,
    amount: formatXmr(w.amount),
    fee: formatXmr(w.fee),
    attempts: w.attempts,
    next_attempt_at: iso(w.nextAttemptAt),
    last_error: w.lastError ?? w.batchError ?? null,
    txid: w.txHash,
    transaction_status: w.batchStatus,
    relay_failures: w.relayFailures,
    next_relay_at: iso(w.nextRelayAt),
    replacement_txid: w.replacementTxHash,
    failure_reason: w.failureReason,
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}

const actionView = (a: AdminActionRecord): z.infer<typeof actionSchema> => ({
  id: a.id,
  withdrawal_id: a.withdrawalId,
  action: a.action,
  actor_id: a.actorId,
  reason: a.reason,
  status_before: a.statusBefore,
  outcome: a.outcome,
  created_at: a.createdAt.toISOString(),
});

/** Operators' view of the withdrawal queue: what is stuck, and retry / fail one (audited). */
export function registerWithdrawalAdminRoutes(app: App, ctx: WalletContext): void {
  const params = z.strictObject({ id: z.string().min(1).max(100) });
  const body = z.strictObject({
    reason: z.string().trim().min(3).max(500).describe('why (kept in the audit trail; a fail reason is also shown to the user)'),
  });
  const actionResult = z.object({ withdrawal: stuckSchema, outcome: z.string() });

  app.get(
    '/admin/wallet/withdrawals/stuck',
    authed(ctx.guards.role('admin', 'moderator'), {
      tags: [TAGS.admin],
      summary: 'Stuck withdrawals, oldest first (admin or moderator)',
      description:
        'Queued ones with failed sign attempts or waiting longer than WITHDRAWAL_STUCK_AFTER_SECONDS, signed ones whose transaction ' +
        'the daemon refused or that wait longer than that, and those whose transaction is being invalidated.',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ items: z.array(stuckSchema), stuck_after_seconds: z.number().int() }) },
    }),
    async (request) => ({
      items: (await stuckWithdrawals(ctx.db, ctx.config.withdrawalRetry.stuckAfterMs, request.query.limit)).map(stuckView),
      stuck_after_seconds: Math.round(ctx.config.withdrawalRetry.stuckAfterMs / 1000),
    }),
  );

  app.get(
    '/admin/wallet/withdrawals/actions',
    authed(ctx.guards.role('admin', 'moderator'), {
      tags: [TAGS.admin],
      summary: 'Audit trail of operators’ retry / fail actions on withdrawals, newest first (admin or moderator)',
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        withdrawal_id: z.string().min(1).max(100).optional(),
      }),
      response: { 200: z.object({ items: z.array(actionSchema) }) },
    }),
    async (request) => ({ items: (await ctx.withdrawalAdmin.actions(request.query.limit, request.query.withdrawal_id)).map(actionView) }),
  );

  // Retry and fail share params, body and result but not their docs or effect: two routes written out, on purpose.
  app.post(
    '/admin/wallet/withdrawals/:id/retry',
    authed(ctx.guards.role('admin'), {
      tags: [TAGS.admin],
      summary: 'Try a stuck withdrawal again now: its attempts (queued) or its transaction’s relay failures (signed) start over (admin)',
      description: '409 withdrawal_not_retryable when it is neither queued nor signed in a still relayable transaction.',
      params,
      body,
      response: { 200: actionResult, 404: errorSchema, 409: errorSchema },
    }),
    async (request) => {
      const r = await ctx.withdrawalAdmin.retry(request.params.id, currentUser(request).id, request.body.reason);
      return { withdrawal: stuckView(r.withdrawal), outcome: r.outcome };
    },
  );

  app.post(
    '/admin/wallet/withdrawals/:id/fail',
    authed(ctx.guards.role('admin'), {
      tags: [TAGS.admin],
      summary: 'Give up on a stuck withdrawal (admin)',
      description:
        'Queued (never signed): failed at once, hold released. Signed (not broadcast): its transaction is never relayed again and is ' +
        'invalidated — the withdrawal (and the others in that transaction) fail once an input is spent by a replacement transaction, ' +
        'or are tracked as usual if it reaches the network after all. The user reads "Cancelled by Pupero support: <reason>". ' +
        '409 withdrawal_not_failable otherwise (broadcast, confirmed, failed, or already invalidating).',
      params,
      body,
      response: { 200: actionResult, 404: errorSchema, 409: errorSchema },
    }),
    async (request) => {
      const r = await ctx.withdrawalAdmin.fail(request.params.id, currentUser(request).id, request.body.reason);
      return { withdrawal: stuckView(r.withdrawal), outcome: r.outcome };
    },
  );
}
