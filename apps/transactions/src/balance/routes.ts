import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, TAGS } from '@pupero/http';
import { currentUser } from '@pupero/auth';
import { formatXmr } from '@pupero/money';
import { iso } from '@pupero/db';
import { cursorQuery, limitQuery, signedXmr } from '../shared/schemas.js';
import { userBalance, userHistory } from '../ledger/ledger-store.js';
import { authed, errorSchema } from '../shared/errors.js';

const historyItemSchema = z.object({
  entry_id: z.string(),
  kind: z
    .string()
    .describe('deposit, trade_hold, trade_release, trade_refund, trade_split, withdrawal_hold, withdrawal_finalise, withdrawal_release'),
  reference: z.object({ type: z.enum(['trade', 'deposit', 'withdrawal']), id: z.string() }),
  changes: z.object({ available: signedXmr, held: signedXmr }).describe('what the entry did to your balances (signed XMR)'),
  created_at: z.string(),
});

export function registerBalanceRoutes(app: App, ctx: TransactionsContext): void {
  const { db, guards, wallet } = ctx;
  app.get(
    '/balance',
    authed(guards.user, {
      tags: [TAGS.balance],
      summary: 'My balances: available, held (open trades and withdrawals) and deposits not yet credited',
      response: { 200: z.object({ available: z.string(), held: z.string(), pending_deposits: z.string() }) },
    }),
    async (request) => {
      const user = currentUser(request);
      const [balance, pending] = await Promise.all([userBalance(db, user.id), wallet.pendingFor(user.id, String(request.id))]);
      return { available: formatXmr(balance.available), held: formatXmr(balance.held), pending_deposits: formatXmr(pending) };
    },
  );

  app.get(
    '/balance/history',
    authed(guards.user, {
      tags: [TAGS.balance],
      summary: 'My ledger entries, newest first',
      querystring: z.object({ limit: limitQuery(50, 200), cursor: cursorQuery }),
      response: { 200: z.object({ items: z.array(historyItemSchema), next_cursor: z.string().nullable() }), 400: errorSchema },
    }),
    async (request) => {
      const user = currentUser(request);
      const { limit, cursor } = request.query;
      const rows = await userHistory(db, user.id, limit + 1, cursor ? BigInt(cursor) : undefined);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          entry_id: r.entryId.toString(),
          kind: r.kind,
          reference: { type: r.referenceType, id: r.referenceId },
          changes: { available: formatXmr(r.available), held: formatXmr(r.held) },
          created_at: iso(r.createdAt),
        })),
        next_cursor: rows.length > limit ? (page.at(-1)?.entryId.toString() ?? null) : null,
      };
    },
  );
}
