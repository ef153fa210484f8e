import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, idParams, requireServiceToken, TAGS } from '@pupero/http';
import { authed, conflict, forbidden, errorSchema } from '../shared/errors.js';
import { inTransaction } from '@pupero/db';
import { opaqueId, plainText } from '../shared/schemas.js';
import { appendEvent } from '../events/event-store.js';
import { viewerOf } from '../trades/state-machine.js';
import { actingUser, readableTrade } from '../trades/routes.js';
import { factsOf } from '../trades/trade-store.js';
import { insertFeedback, tradeFeedback } from './feedback-store.js';
import { feedbackItemSchema, feedbackView, RATINGS } from './feedback-view.js';
import { reputationOf, reputationSchema } from './reputation.js';

const MAX_BATCH = 200;

// The route-module shape of every service (docs/engineering.md, "Route modules"): alike on purpose, each route its own schema.
export function registerFeedbackRoutes(app: App, ctx: TransactionsContext): void {
  const { guards, serviceToken } = ctx;
  app.post(
    '/trades/:id/feedback',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'Rate the other party of a completed trade (once per party)',
      params: idParams,
      body: z.strictObject({ rating: z.enum(RATINGS), comment: plainText(1000).optional() }),
      response: { 201: feedbackItemSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
    }),
    async (request, reply) => {
      const actor = actingUser(request);
      const trade = await readableTrade(ctx, request.params.id, actor);
      const role = viewerOf(factsOf(trade), actor);
      if (role !== 'buyer' && role !== 'seller') throw forbidden('not_a_party', 'Only the buyer and the seller leave feedback on a trade.');
      if (trade.status !== 'completed') {
        throw conflict('trade_not_completed', `Feedback is for completed trades; this one is ${trade.status}.`, { status: trade.status });
      }
      const subjectId = role === 'buyer' ? trade.seller_id : trade.buyer_id;
      const { item, event } = await inTransaction(ctx.db, async (tx) => {
        const row = await insertFeedback(tx, {
          tradeId: trade.id,
          author: actor,
          subjectId,
          rating: request.body.rating,
          comment: request.body.comment ?? null,
        });
        if (!row) throw conflict('feedback_exists', 'You already left feedback on this trade.');
        const item = feedbackView(row);
        const event = await appendEvent(tx, {
          tradeId: trade.id,
          userIds: [trade.buyer_id, trade.seller_id],
          type: 'feedback',
          actor: { id: actor.id, username: actor.username },
          data: { feedback: item },
        });
        return { item, event };
      });
      ctx.bus.deliver([event]);
      return reply.status(201).send(item);
    },
  );

  app.get(
    '/trades/:id/feedback',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'The feedback the parties left on a trade',
      params: idParams,
      response: { 200: z.object({ items: z.array(feedbackItemSchema) }), 404: errorSchema },
    }),
    async (request) => {
      const trade = await readableTrade(ctx, request.params.id, actingUser(request));
      return { items: (await tradeFeedback(ctx.db, trade.id)).map(feedbackView) };
    },
  );

  app.get(
    '/users/:id/reputation',
    {
      schema: {
        tags: [TAGS.reputation],
        summary: "A user's reputation: completed trades, volume, feedback received (public)",
        params: z.object({ id: opaqueId }),
        response: { 200: reputationSchema.extend({ user_id: z.string() }), 400: errorSchema },
      },
    },
    async (request) => {
      const reputation = (await reputationOf(ctx.db, [request.params.id])).get(request.params.id)!;
      return { user_id: request.params.id, ...reputation };
    },
  );

  app.get(
    '/internal/reputation',
    {
      schema: {
        querystring: z.object({
          user_ids: z
            .string()
            .min(1)
            .transform((s) =>
              s
                .split(',')
                .map((id) => id.trim())
                .filter(Boolean),
            )
            .pipe(z.array(opaqueId).min(1).max(MAX_BATCH)),
        }),
        response: { 200: z.object({ items: z.record(z.string(), reputationSchema) }) },
      },
      onRequest: requireServiceToken(serviceToken),
    },
    async (request) => {
      const reputations = await reputationOf(ctx.db, request.query.user_ids);
      return { items: Object.fromEntries(reputations) };
    },
  );
}
