import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, idParams, TAGS } from '@pupero/http';
import { currentUser } from '@pupero/auth';
import { actingUser, readableTrade } from '../trades/routes.js';
import type { EventBus } from './event-bus.js';
import { tradeEvents, userEvents } from './event-store.js';
import { lastEventId, openEventStream, type StreamRegistry } from './sse.js';
import { authed, errorSchema } from '../shared/errors.js';

const REPLAY_LIMIT = 500;

/** EventSource cannot send headers: the token may come as ?access_token= (redacted in logs). */
const streamQuery = z.object({
  access_token: z.string().optional().describe('the access token, for EventSource (which cannot send headers)'),
  last_event_id: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .describe('resume after this event id (or send the Last-Event-ID header)'),
});

export interface StreamOptions {
  bus: EventBus;
  registry: StreamRegistry;
  heartbeatMs: number;
  maxPerUser: number;
}

export function registerEventRoutes(app: App, ctx: TransactionsContext): void {
  const { guards, streams: options } = ctx;
  app.get(
    '/events',
    authed(guards.streamUser, {
      tags: [TAGS.events],
      summary: 'My live events (Server-Sent Events): new trades, status changes, messages, feedback',
      description:
        'text/event-stream. Each event has an id, a type (trade_created, trade_paid, trade_completed, trade_cancelled, trade_expired, ' +
        'trade_disputed, trade_resolved, message, feedback) and JSON data. Reconnect with Last-Event-ID to receive what you missed.',
      querystring: streamQuery,
      response: { 429: errorSchema },
    }),
    async (request, reply) => {
      const user = currentUser(request);
      const after = lastEventId(request, request.query.last_event_id);
      await openEventStream(request, reply, {
        ...options,
        userId: user.id,
        filter: { userId: user.id },
        replay: async () => (after === undefined ? [] : userEvents(ctx.db, user.id, { afterId: after, limit: REPLAY_LIMIT })),
      });
    },
  );

  // The stream of /events narrowed to one readable trade: only the guard check, the filter and the replay differ.
  app.get(
    '/trades/:id/stream',
    authed(guards.streamUser, {
      tags: [TAGS.trades],
      summary: "One trade's live events (Server-Sent Events), for its parties and moderators",
      description: 'text/event-stream with the same events as /events, for this trade only. Reconnect with Last-Event-ID to resume.',
      params: idParams,
      querystring: streamQuery,
      response: { 404: errorSchema, 429: errorSchema },
    }),
    async (request, reply) => {
      const actor = actingUser(request);
      const trade = await readableTrade(ctx, request.params.id, actor);
      const after = lastEventId(request, request.query.last_event_id);
      await openEventStream(request, reply, {
        ...options,
        userId: actor.id,
        filter: { tradeId: trade.id },
        replay: async () => (after === undefined ? [] : tradeEvents(ctx.db, trade.id, { afterId: after, limit: REPLAY_LIMIT })),
      });
    },
  );
}
