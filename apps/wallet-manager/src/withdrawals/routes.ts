import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, idParams, TAGS } from '@pupero/http';
import { authed, badRequest, errorSchema, notFound } from '../shared/errors.js';
import { formatXmr, MAX_ATOMIC, parseXmr, xmrAmountString } from '@pupero/money';
import type { WalletContext } from '../context.js';
import { IDEMPOTENCY_KEY_PATTERN } from './domain.js';
import { findUserWithdrawal, listUserWithdrawals, type Withdrawal } from './withdrawal-store.js';

const withdrawalSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'signed', 'broadcast', 'confirmed', 'failed']),
  address: z.string(),
  amount: z.string(),
  fee: z.string(),
  txid: z.string().optional(),
  confirmations: z.number().int().optional(),
  required_confirmations: z.number().int(),
  failure_reason: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

function view(w: Withdrawal, required: number): z.infer<typeof withdrawalSchema> {
  const onChain = w.status === 'broadcast' || w.status === 'confirmed';
  return {
    id: w.id,
    // `requested`/`rejected` rows are never listed (the request answered for them); map them safely anyway.
    status: w.status === 'requested' ? 'queued' : w.status === 'rejected' ? 'failed' : w.status,
    address: w.address,
    amount: formatXmr(w.amount),
    fee: formatXmr(w.fee),
    ...(w.txHash && w.status !== 'failed' ? { txid: w.txHash } : {}),
    ...(onChain ? { confirmations: w.confirmations ?? 0 } : {}),
    required_confirmations: required,
    ...(w.failureReason ? { failure_reason: w.failureReason } : {}),
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}

export function registerWithdrawalRoutes(app: App, ctx: WalletContext): void {
  const required = ctx.config.withdrawalConfirmations;

  app.post(
    '/wallet/withdrawals',
    authed(ctx.guards.user, {
      tags: [TAGS.wallet],
      summary: 'Withdraw XMR to an address (queued; signed, broadcast and confirmed by the wallet manager)',
      description:
        'Send an Idempotency-Key header: repeating a request with the same key and body returns the same withdrawal; ' +
        'the same key with another body is refused (409 idempotency_key_reused). The fee is added to the amount.',
      headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
      body: z.strictObject({
        address: z.string().min(1).max(200),
        amount: xmrAmountString,
        totp_code: z.string().min(1).max(64).optional(),
      }),
      response: { 202: withdrawalSchema, 409: errorSchema, 503: errorSchema },
    }),
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
        throw badRequest(
          'idempotency_key_required',
          'Send an Idempotency-Key header (1–200 visible characters, unique per withdrawal; reuse it only to retry the same request).',
        );
      }
      if (parseXmr(request.body.amount) > MAX_ATOMIC / 2n)
        throw badRequest('invalid_amount', 'The amount is larger than the system can hold.');
      ctx.chain();
      const w = await ctx.requests.create(currentUser(request).id, key, request.body, ctx.deadline());
      reply.status(202);
      return view(w, required);
    },
  );

  // The usual route shape (authed + schemas + handler), and a list like GET /wallet/deposits (limit,
  // sync_message): each resource's routes are written out with their own schemas, on purpose.
  app.get(
    '/wallet/withdrawals',
    authed(ctx.guards.user, {
      tags: [TAGS.wallet],
      summary: 'Your withdrawals, newest first',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      // sync_message: why queued withdrawals wait while the Monero node syncs (null when it is in sync).
      response: { 200: z.object({ items: z.array(withdrawalSchema), sync_message: z.string().nullable() }) },
    }),
    async (request) => ({
      items: (await listUserWithdrawals(ctx.db, currentUser(request).id, request.query.limit)).map((w) => view(w, required)),
      sync_message: (await ctx.sync().catch(() => undefined))?.message ?? null,
    }),
  );

  app.get(
    '/wallet/withdrawals/:id',
    authed(ctx.guards.user, {
      tags: [TAGS.wallet],
      summary: 'One of your withdrawals, with its status, transaction id and confirmations',
      params: idParams,
      response: { 200: withdrawalSchema, 404: errorSchema },
    }),
    async (request) => {
      const w = await findUserWithdrawal(ctx.db, currentUser(request).id, request.params.id);
      if (!w) throw notFound('withdrawal_not_found', 'No such withdrawal of yours.');
      return view(w, required);
    },
  );

  app.get(
    '/wallet/withdrawal-fee',
    authed(ctx.guards.user, {
      tags: [TAGS.wallet],
      summary: 'The fee a withdrawal requested now would be charged (added to the amount)',
      response: { 200: z.object({ fee: z.string(), network: z.string() }) },
    }),
    async () => {
      ctx.chain();
      return { fee: formatXmr(await ctx.deadline().step('daemon', ctx.quoteFee())), network: ctx.config.network };
    },
  );
}
