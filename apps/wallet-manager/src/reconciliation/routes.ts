import { z } from 'zod';
import { type App, TAGS } from '@pupero/http';
import { formatXmr } from '@pupero/money';
import type { WalletContext } from '../context.js';
import { authed } from '../shared/errors.js';

// The same admin GET shape as the stuck-withdrawals list (authed admin/moderator, TAGS.admin): the usual route shape, not shared logic.
export function registerReconciliationRoutes(app: App, ctx: WalletContext): void {
  app.get(
    '/admin/reconciliation',
    authed(ctx.guards.role('admin', 'moderator'), {
      tags: [TAGS.admin],
      summary: 'Hot wallet vs. ledger: ok when the wallet covers what users are owed',
      description:
        'difference = wallet_balance − pending_deposits (received, not yet credited) + inflight_withdrawals ' +
        '(broadcast, not yet finalised: amount + network fee) − ledger_liabilities. It is the platform’s own money ' +
        'in the wallet and is never negative when ok.',
      response: {
        200: z.object({
          ledger_liabilities: z.string(),
          wallet_balance: z.string(),
          wallet_unlocked: z.string(),
          pending_deposits: z.string(),
          inflight_withdrawals: z.string(),
          difference: z.string(),
          ok: z.boolean(),
          checked_at: z.string(),
        }),
      },
    }),
    async () => {
      ctx.chain();
      const r = await ctx.deadline().step('wallet', ctx.reconciler.check());
      return {
        ledger_liabilities: formatXmr(r.ledgerLiabilities),
        wallet_balance: formatXmr(r.walletBalance),
        wallet_unlocked: formatXmr(r.walletUnlocked),
        pending_deposits: formatXmr(r.pendingDeposits),
        inflight_withdrawals: formatXmr(r.inflightWithdrawals),
        difference: formatXmr(r.difference),
        ok: r.ok,
        checked_at: r.checkedAt.toISOString(),
      };
    },
  );

  app.get(
    '/admin/wallet/status',
    authed(ctx.guards.role('admin', 'moderator'), {
      tags: [TAGS.admin],
      summary: 'Wallet manager status: chain, scan checkpoint, worker lease, open transactions, queue',
      response: { 200: z.record(z.string(), z.unknown()) },
    }),
    async () => ctx.status(),
  );
}
