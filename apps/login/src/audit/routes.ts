import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, TAGS } from '@pupero/http';
import { authed, badRequest, errorSchema } from '../shared/errors.js';
import type { LoginContext } from '../context.js';

import { decodeCursor, listEvents, SECURITY_EVENT_TYPES } from './audit-store.js';

// The route-module shape of every service (docs/engineering.md, "Route modules"): alike on purpose, each route its own schema.
export function registerAuditRoutes(app: App, ctx: LoginContext): void {
  const { guards } = ctx;
  app.get(
    '/auth/events',
    authed(guards.user, {
      tags: [TAGS.auth],
      summary: 'Security events of my account, newest first',
      description: `Types: ${SECURITY_EVENT_TYPES.join(', ')}. Page with limit and the next_cursor of the previous page.`,
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().max(64).optional(),
      }),
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.string(),
              type: z.enum(SECURITY_EVENT_TYPES),
              created_at: z.iso.datetime(),
              ip: z.string().nullable(),
              user_agent: z.string().nullable(),
              details: z.record(z.string(), z.string()),
            }),
          ),
          next_cursor: z.string().nullable(),
        }),
        400: errorSchema,
      },
    }),
    async (request) => {
      const before = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor);
      if (request.query.cursor !== undefined && before === undefined)
        throw badRequest('invalid_cursor', 'The cursor is not one this API gave out; start without it.');
      return listEvents(ctx.db, currentUser(request).id, { limit: request.query.limit, before });
    },
  );
}
