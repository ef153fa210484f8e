import { parsePgBigint } from '@pupero/db';
import { z } from 'zod';
import { type App, TAGS } from '@pupero/http';
import { currentUser } from '@pupero/auth';
import type { OffersContext } from '../context.js';
import { authed, badRequest, errorSchema } from '../errors.js';
import { OFFER_STATUSES } from './offer.js';
import { offerSchema } from './schemas.js';
import { listOwnerOffers } from './offer-store.js';
import { viewOffers } from './offer-view.js';

/** GET /offers/mine: the caller's own offers in every status, for their dashboard. */
export function registerMyOffersRoutes(app: App, ctx: OffersContext): void {
  const { guards, db } = ctx;
  const mineQuery = z.strictObject({
    status: z.enum(OFFER_STATUSES, { error: 'status must be "active", "paused" or "closed"' }).optional(),
    limit: z.coerce
      .number({ error: 'limit must be a number from 1 to 100' })
      .int()
      .min(1)
      .default(20)
      .transform((n) => Math.min(n, 100)),
    cursor: z.string().optional(),
  });

  app.get(
    '/offers/mine',
    authed(guards.user, {
      tags: [TAGS.offers],
      summary: 'My offers (active, paused and closed), newest first',
      querystring: mineQuery,
      response: {
        200: z.object({ items: z.array(offerSchema), next_cursor: z.string().nullable() }),
        400: errorSchema,
      },
    }),
    async (request) => {
      const user = currentUser(request);
      const { status, limit, cursor } = request.query;
      const beforeSeq = cursor === undefined ? undefined : decodeSeqCursor(cursor);
      const offers = await listOwnerOffers(db, user.id, { status, beforeSeq, limit: limit + 1 });
      const page = offers.slice(0, limit);
      const last = offers.length > limit ? page.at(-1) : undefined;
      return {
        items: await viewOffers(ctx, page, { requestId: request.id }),
        next_cursor: last ? encodeSeqCursor(last.seq) : null,
      };
    },
  );
}

function encodeSeqCursor(seq: bigint): string {
  return Buffer.from(`mine:${seq}`).toString('base64url');
}

function decodeSeqCursor(cursor: string): bigint {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const seq = parsePgBigint(/^mine:(\d+)$/.exec(text)?.[1] ?? '');
  if (seq === undefined) throw badRequest('invalid_cursor', 'cursor is not valid: pass the next_cursor of the previous page unchanged.');
  return seq;
}
