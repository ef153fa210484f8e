import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, idParams, TAGS } from '@pupero/http';
import { inTransaction } from '@pupero/db';
import { cursorQuery, limitQuery, plainText } from '../shared/schemas.js';
import { appendEvent } from '../events/event-store.js';
import { actingUser, readableTrade } from '../trades/routes.js';
import { insertMessage, listMessages, MESSAGE_MAX_CHARS, messageSchema, messageView } from './chat-store.js';
import { authed, errorSchema } from '../shared/errors.js';
import { keysetPage } from '../shared/keyset-page.js';

/**
 * Trade chat: the parties and moderators only. Messages are append-only evidence for disputes.
 * The route-module shape of every service (docs/engineering.md, "Route modules"), as in trades/routes.ts: alike on purpose.
 */
export function registerChatRoutes(app: App, ctx: TransactionsContext): void {
  const { guards } = ctx;
  app.get(
    '/trades/:id/messages',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: "The trade's chat, oldest first",
      params: idParams,
      querystring: z.object({ cursor: cursorQuery, limit: limitQuery(200, 500) }),
      response: { 200: z.object({ items: z.array(messageSchema), next_cursor: z.string().nullable() }), 404: errorSchema },
    }),
    async (request) => {
      const trade = await readableTrade(ctx, request.params.id, actingUser(request));
      const { cursor, limit } = request.query;
      const rows = await listMessages(ctx.db, trade.id, { afterSeq: cursor ? BigInt(cursor) : undefined, limit: limit + 1 });
      const { page, nextCursor } = keysetPage(rows, limit);
      return {
        items: page.map((row) => {
          const { seq: _seq, ...message } = messageView(row, trade);
          return message;
        }),
        next_cursor: nextCursor,
      };
    },
  );

  app.post(
    '/trades/:id/messages',
    authed(guards.user, {
      tags: [TAGS.trades],
      summary: 'Write in the trade chat',
      description: `Plain text, 1 to ${MESSAGE_MAX_CHARS} characters.`,
      params: idParams,
      body: z.strictObject({ body: plainText(MESSAGE_MAX_CHARS) }),
      response: { 201: messageSchema, 400: errorSchema, 404: errorSchema },
    }),
    async (request, reply) => {
      const actor = actingUser(request);
      const trade = await readableTrade(ctx, request.params.id, actor);
      const { message, event } = await inTransaction(ctx.db, async (tx) => {
        const row = await insertMessage(tx, { tradeId: trade.id, author: actor, body: request.body.body });
        const { seq: _seq, ...message } = messageView(row, trade);
        const event = await appendEvent(tx, {
          tradeId: trade.id,
          userIds: [trade.buyer_id, trade.seller_id],
          type: 'message',
          actor: { id: actor.id, username: actor.username },
          data: { message },
        });
        return { message, event };
      });
      ctx.bus.deliver([event]);
      return reply.status(201).send(message);
    },
  );
}
