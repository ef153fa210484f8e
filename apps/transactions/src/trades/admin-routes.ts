import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, idParams, TAGS } from '@pupero/http';
import { authed, badRequest, errorSchema } from '../shared/errors.js';
import { parseXmr, xmrAmountText } from '@pupero/money';
import { cursorQuery, limitQuery, plainText } from '../shared/schemas.js';
import { actingUser } from './routes.js';
import { resolveTrade } from './trade-commands.js';
import { listOpenDisputes } from './trade-store.js';
import { tradeSchema, tradeView } from './trade-view.js';

/** Moderation: the open-dispute queue and resolutions (role moderator or admin). */
export function registerAdminTradeRoutes(app: App, ctx: TransactionsContext): void {
  const { guards } = ctx;
  const staff = guards.role('moderator', 'admin');

  app.get(
    '/admin/disputes',
    authed(staff, {
      tags: [TAGS.admin],
      summary: 'Open disputes, oldest first (moderator or admin)',
      querystring: z.object({ limit: limitQuery(50, 200), cursor: cursorQuery }),
      response: { 200: z.object({ items: z.array(tradeSchema), next_cursor: z.string().nullable() }), 400: errorSchema, 403: errorSchema },
    }),
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listOpenDisputes(ctx.db, { limit: limit + 1, afterSeq: cursor ? BigInt(cursor) : undefined });
      const page = rows.slice(0, limit);
      return {
        items: page.map((row) => tradeView(row)),
        next_cursor: rows.length > limit ? (page.at(-1)?.seq.toString() ?? null) : null,
      };
    },
  );

  app.post(
    '/admin/trades/:id/resolve',
    authed(staff, {
      tags: [TAGS.admin],
      summary: 'Resolve a disputed trade: release to the buyer, refund the seller, or split (moderator or admin)',
      description:
        'release → completed (the buyer gets the amount), refund → cancelled (the seller gets the hold back), ' +
        'split → completed (the buyer gets buyer_amount, strictly between 0 and the amount; the seller the rest; the fee is charged pro rata). ' +
        'A moderator who is a party to the trade cannot resolve it.',
      params: idParams,
      body: z.strictObject({
        outcome: z.enum(['release', 'refund', 'split']),
        buyer_amount: xmrAmountText('buyer_amount').optional(),
        note: plainText(2000),
      }),
      response: { 200: tradeSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
    }),
    async (request) => {
      const { outcome, buyer_amount, note } = request.body;
      if (outcome !== 'split' && buyer_amount !== undefined) {
        throw badRequest('buyer_amount_only_for_split', 'buyer_amount is only for outcome "split".');
      }
      const actor = actingUser(request);
      const row = await resolveTrade(ctx, {
        actor,
        tradeId: request.params.id,
        outcome,
        buyerAmount: buyer_amount === undefined ? undefined : parseXmr(buyer_amount),
        note,
      });
      return tradeView(row, { actor, now: ctx.now() });
    },
  );
}
