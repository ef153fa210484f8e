import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, idParams, TAGS } from '@pupero/http';
import { authed, badRequest, notFound, errorSchema } from '../shared/errors.js';
import { currentUser } from '@pupero/auth';
import { fiatPriceString, parseXmr, xmrAmountText } from '@pupero/money';
import { cursorQuery, limitQuery, plainText } from '../shared/schemas.js';
import { keysetPage } from '../shared/keyset-page.js';
import { canRead, TRADE_STATUSES, type PartyAction, type TradeStatus } from './state-machine.js';
import { actOnTrade, startTrade, type ActingUser, type TradeContext } from './trade-commands.js';
import { findTrade, listUserTrades } from './trade-store.js';
import { tradeSchema, tradeView } from './trade-view.js';
import { tradeEvents } from '../events/event-store.js';
import { timelineItem, timelineItemSchema } from '../events/timeline.js';
import { feedbackItemSchema, feedbackView } from '../feedback/feedback-view.js';
import { tradeFeedback } from '../feedback/feedback-store.js';

/** An empty body is fine for the action endpoints; anything in it is refused. */
const noBody = z.strictObject({}).nullish();

/** The second factor of an action that sends the caller's XMR to someone else (when 2FA is on). */
const secondFactorFields = {
  totp_code: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('The current 6-digit code of your authenticator app (when 2FA is on); each code works once'),
  recovery_code: z.string().min(1).max(64).optional().describe('An unused recovery code, instead of totp_code'),
};
type SecondFactorBody = { totp_code?: string; recovery_code?: string } | null | undefined;

/** Either field, never both (as at login). */
function secondFactorOf(body: SecondFactorBody) {
  if (body?.totp_code !== undefined && body.recovery_code !== undefined) {
    throw badRequest('validation_failed', 'Send either totp_code or recovery_code, not both.', {
      issues: [{ path: 'body.recovery_code', message: 'send either totp_code or recovery_code, not both' }],
    });
  }
  return { totpCode: body?.totp_code, recoveryCode: body?.recovery_code };
}

export function actingUser(request: Parameters<typeof currentUser>[0]): ActingUser {
  const user = currentUser(request);
  return { id: user.id, username: user.username, roles: user.roles };
}

/** The trade, if the caller may read it (parties and staff); 404 otherwise, so ids do not leak. */
export async function readableTrade(ctx: TradeContext, tradeId: string, actor: ActingUser) {
  const row = await findTrade(ctx.db, tradeId);
  if (!row || !canRead({ buyerId: row.buyer_id, sellerId: row.seller_id }, actor)) {
    throw notFound('trade_not_found', 'No such trade.');
  }
  return row;
}

export function registerTradeRoutes(app: App, ctx: TransactionsContext): void {
  const { guards } = ctx;
  app.post(
    '/trades',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: "Start a trade on an offer (holds the seller's XMR)",
      description:
        'The offer is snapshotted into the trade. The seller (the offer owner on a sell offer, the caller on a buy offer) has amount + fee held. ' +
        "Send the `price` you were shown: when the offer's effective price differs now, 409 price_changed (details.price: the current price) and nothing happens. " +
        'Taking a buy offer makes you the seller: with 2FA on, send totp_code or recovery_code (401 two_factor_required without a valid one; 429 rate_limited after too many wrong codes). ' +
        'Other errors: 400 amount_out_of_range, own_offer; 404 offer_not_found; 409 offer_not_active, insufficient_funds, too_many_open_trades, price_unavailable. ' +
        'Send an Idempotency-Key header to make retries safe: the same key returns the first trade.',
      headers: z.looseObject({ 'idempotency-key': z.string().min(1).max(200).optional() }),
      body: z.strictObject({
        offer_id: z.string().min(1).max(128),
        amount: xmrAmountText('amount'),
        price: fiatPriceString.optional().describe('The effective price (fiat per XMR) the taker saw, e.g. "150.25"'),
        ...secondFactorFields,
      }),
      response: { 201: tradeSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema, 502: errorSchema },
    }),
    async (request, reply) => {
      const actor = actingUser(request);
      const { trade, created } = await startTrade(ctx, {
        taker: actor,
        offerId: request.body.offer_id,
        amount: parseXmr(request.body.amount),
        price: request.body.price,
        secondFactor: secondFactorOf(request.body),
        idempotencyKey: request.headers['idempotency-key'],
        requestId: String(request.id),
      });
      if (!created) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(tradeView(trade, { actor, now: ctx.now() }));
    },
  );

  app.get(
    '/trades',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'My trades (as buyer or seller), newest first',
      querystring: z.object({
        status: z.enum(TRADE_STATUSES as [TradeStatus, ...TradeStatus[]]).optional(),
        limit: limitQuery(20, 100),
        cursor: cursorQuery,
      }),
      response: { 200: z.object({ items: z.array(tradeSchema), next_cursor: z.string().nullable() }), 400: errorSchema },
    }),
    async (request) => {
      const actor = actingUser(request);
      const { status, limit, cursor } = request.query;
      const rows = await listUserTrades(ctx.db, actor.id, { status, limit: limit + 1, beforeSeq: cursor ? BigInt(cursor) : undefined });
      const { page, nextCursor } = keysetPage(rows, limit);
      const now = ctx.now();
      return { items: page.map((row) => tradeView(row, { actor, now })), next_cursor: nextCursor };
    },
  );

  app.get(
    '/trades/:id',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'One trade, with its timeline and feedback (parties and moderators only)',
      params: idParams,
      response: {
        200: tradeSchema.extend({ timeline: z.array(timelineItemSchema), feedback: z.array(feedbackItemSchema) }),
        404: errorSchema,
      },
    }),
    async (request) => {
      const actor = actingUser(request);
      const row = await readableTrade(ctx, request.params.id, actor);
      const [events, feedback] = await Promise.all([tradeEvents(ctx.db, row.id, { limit: 1000 }), tradeFeedback(ctx.db, row.id)]);
      return {
        ...tradeView(row, { actor, now: ctx.now() }),
        timeline: events.filter((e) => e.type !== 'message').map(timelineItem),
        feedback: feedback.map(feedbackView),
      };
    },
  );

  app.get(
    '/trades/:id/events',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: "The trade's timeline: every state change, chat message and feedback, oldest first",
      params: idParams,
      querystring: z.object({ after: cursorQuery, limit: limitQuery(200, 1000) }),
      response: { 200: z.object({ items: z.array(timelineItemSchema) }), 404: errorSchema },
    }),
    async (request) => {
      const row = await readableTrade(ctx, request.params.id, actingUser(request));
      const { after, limit } = request.query;
      const events = await tradeEvents(ctx.db, row.id, { afterId: after ? BigInt(after) : undefined, limit });
      return { items: events.map(timelineItem) };
    },
  );

  const action = (path: string, name: PartyAction, summary: string, description: string) =>
    app.post(
      `/trades/:id/${path}`,
      authed(guards.user, {
        tags: [TAGS.trades],
        summary,
        description: `${description} Repeating it returns the trade unchanged. Not allowed now: 409 with details.status.`,
        params: idParams,
        body: noBody,
        response: { 200: tradeSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      }),
      async (request) => {
        const actor = actingUser(request);
        const row = await actOnTrade(ctx, { actor, tradeId: request.params.id, action: name });
        return tradeView(row, { actor, now: ctx.now() });
      },
    );
  action('paid', 'paid', 'Buyer: "I sent the money"', 'Moves an escrowed trade to paid, before the payment deadline.');
  action(
    'cancel',
    'cancel',
    'Cancel the trade',
    "The buyer before paying; the seller once the payment window passed unpaid. The seller's hold is released.",
  );

  app.post(
    '/trades/:id/release',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'Seller: "I received the money"',
      description:
        'Completes a paid trade: the held XMR goes to the buyer (the fee to the platform) atomically. Only after the buyer marked it paid: ' +
        'before that 409 invalid_transition with details.status. With 2FA on, send totp_code or recovery_code: 401 two_factor_required without a valid one ' +
        '(the transition is checked first, so a refused or repeated release uses up no code); 429 rate_limited after too many wrong codes. ' +
        'Repeating it returns the trade unchanged.',
      params: idParams,
      body: z.strictObject(secondFactorFields).nullish(),
      response: {
        200: tradeSchema,
        400: errorSchema,
        403: errorSchema,
        404: errorSchema,
        409: errorSchema,
        429: errorSchema,
        502: errorSchema,
      },
    }),
    async (request) => {
      const actor = actingUser(request);
      const row = await actOnTrade(ctx, {
        actor,
        tradeId: request.params.id,
        action: 'release',
        secondFactor: secondFactorOf(request.body),
        requestId: String(request.id),
      });
      return tradeView(row, { actor, now: ctx.now() });
    },
  );

  app.post(
    '/trades/:id/dispute',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'Open a dispute (a moderator decides)',
      description: 'Either party, once the trade is paid or its payment window passed. Repeating it returns the trade unchanged.',
      params: idParams,
      body: z.strictObject({ reason: plainText(1000) }),
      response: { 200: tradeSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
    }),
    async (request) => {
      const actor = actingUser(request);
      const row = await actOnTrade(ctx, { actor, tradeId: request.params.id, action: 'dispute', reason: request.body.reason });
      return tradeView(row, { actor, now: ctx.now() });
    },
  );
}
