import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, requireServiceToken, TAGS } from '@pupero/http';
import { formatXmr } from '@pupero/money';
import type { WalletContext } from '../context.js';
import { confirmations } from './domain.js';
import { getChainHeight, listUserDeposits, pendingDepositTotal, WALLET_HEIGHT } from './deposit-store.js';
import { authed } from '../shared/errors.js';

const depositItem = z.object({
  txid: z.string(),
  amount: z.string(),
  confirmations: z.number().int(),
  required_confirmations: z.number().int(),
  status: z.enum(['pending', 'credited', 'rejected']),
  block_height: z.number().int().nullable(),
  reject_reason: z.string().optional(),
  seen_at: z.string(),
  credited_at: z.string().optional(),
});

export function registerDepositRoutes(app: App, ctx: WalletContext): void {
  app.get(
    '/wallet/deposit-address',
    authed(ctx.guards.user, {
      tags: [TAGS.wallet],
      summary: 'Your personal deposit address (a subaddress of the hot wallet, created on first call)',
      response: { 200: z.object({ address: z.string(), network: z.string(), required_confirmations: z.number().int() }) },
    }),
    async (request) => {
      ctx.chain();
      const row = await ctx.addresses.forUser(currentUser(request).id, ctx.deadline());
      return { address: row.address, network: ctx.config.network, required_confirmations: ctx.config.depositConfirmations };
    },
  );

  app.get(
    '/wallet/deposits',
    authed(ctx.guards.user, {
      tags: [TAGS.wallet],
      summary: 'Your deposits: pending ones with their confirmations, credited ones, and refused (locked) ones',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      // sync_message: why pending deposits wait while the Monero node syncs (null when it is in sync).
      response: { 200: z.object({ items: z.array(depositItem), sync_message: z.string().nullable() }) },
    }),
    async (request) => {
      const required = ctx.config.depositConfirmations;
      const [rows, height, sync] = await Promise.all([
        listUserDeposits(ctx.db, currentUser(request).id, request.query.limit),
        getChainHeight(ctx.db, WALLET_HEIGHT),
        ctx.sync().catch(() => undefined),
      ]);
      return {
        sync_message: sync?.message ?? null,
        items: rows.map((d) => ({
          txid: d.txid,
          amount: formatXmr(d.amount),
          // Shown up to what was required once credited: the interesting number is "enough".
          confirmations:
            d.status === 'credited'
              ? Math.max(required, confirmations(d.blockHeight, height ?? 0))
              : confirmations(d.blockHeight, height ?? 0),
          required_confirmations: required,
          status: d.status as 'pending' | 'credited' | 'rejected',
          block_height: d.blockHeight,
          ...(d.rejectReason ? { reject_reason: d.rejectReason } : {}),
          seen_at: d.firstSeenAt.toISOString(),
          ...(d.creditedAt ? { credited_at: d.creditedAt.toISOString() } : {}),
        })),
      };
    },
  );

  app.get(
    '/internal/deposits/pending',
    {
      onRequest: requireServiceToken(ctx.serviceToken),
      schema: {
        querystring: z.strictObject({ user_id: z.string().min(1).max(200) }),
        response: { 200: z.object({ user_id: z.string(), pending: z.string() }) },
      },
    },
    async (request) => {
      const userId = request.query.user_id;
      return { user_id: userId, pending: formatXmr(await pendingDepositTotal(ctx.db, userId)) };
    },
  );
}
