import { z } from 'zod';
import { badRequest, type App } from '@pupero/http';
import type { AuthGuards } from '@pupero/auth';
import { parseXmr } from '@pupero/money';
import { bearer, cursorQuery, errors, limitQuery, plainText, xmrAmount } from '../shared/schemas.js';
import { actingUser, tradeIdParams } from './routes.js';
import { resolveTrade, type TradeContext } from './trade-commands.js';
import { listOpenDisputes } from './trade-store.js';
import { tradeSchema, tradeView } from './trade-view.js';

/** Moderation: the open-dispute queue and resolutions (role moderator or admin). */
export function registerAdminTradeRoutes(app: App, ctx: TradeContext, guards: AuthGuards): void {
  const staff = guards.role('moderator', 'admin');

  app.get(
    '/admin/disputes',
    {
      schema: {
        tags: ['admin'],
        summary: 'Open disputes, oldest first (moderator or admin)',
        security: bearer,
        querystring: z.object({ limit: limitQuery(50, 200), cursor: cursorQuery }),
        response: { 200: z.object({ items: z.array(tradeSchema), next_cursor: z.string().nullable() }), ...errors(400, 401, 403) },
      },
      onRequest: staff,
    },
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
    {
      schema: {
        tags: ['admin'],
        summary: 'Resolve a disputed trade: release to the buyer, refund the seller, or split (moderator or admin)',
        description:
          'release → completed (the buyer gets the amount), refund → cancelled (the seller gets the hold back), ' +
          'split → completed (the buyer gets buyer_amount, strictly between 0 and the amount; the seller the rest; the fee is charged pro rata). ' +
          'A moderator who is a party to the trade cannot resolve it.',
        security: bearer,
        params: tradeIdParams,
        body: z.strictObject({
          outcome: z.enum(['release', 'refund', 'split']),
          buyer_amount: xmrAmount.optional(),
          note: plainText(2000),
        }),
        response: { 200: tradeSchema, ...errors(400, 401, 403, 404, 409) },
      },
      onRequest: staff,
    },
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
