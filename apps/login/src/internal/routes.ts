import { z } from 'zod';
import { idParams, requireServiceToken, type App } from '@pupero/http';
import { notFound, errorSchema } from '../shared/errors.js';
import type { LoginContext } from '../context.js';
import { userView } from '../shared/schemas.js';
import { recordEvent } from '../audit/audit-store.js';
import { findUserById, isUserId, toUserView } from '../accounts/users-store.js';
import { classifyCode, verifySecondFactor } from '../two-factor/two-factor.js';

const userNotFound = () => notFound('user_not_found', 'No user has this id.');

/** Service-to-service calls (docs/internal-api.md); never routed by the gateway, service token required. */
export function registerInternalRoutes(app: App, ctx: LoginContext): void {
  const serviceOnly = requireServiceToken(ctx.common.serviceToken);

  app.get(
    '/internal/users/:id',
    {
      onRequest: serviceOnly,
      schema: { params: idParams, response: { 200: userView, 403: errorSchema, 404: errorSchema } },
    },
    async (request) => {
      const user = await findUserById(ctx.db, request.params.id);
      if (!user) throw userNotFound();
      return toUserView(user);
    },
  );

  app.get(
    '/internal/users',
    {
      onRequest: serviceOnly,
      schema: {
        querystring: z.object({
          ids: z
            .string()
            .max(40 * 100)
            .describe('Comma-separated user ids (at most 100)'),
        }),
        response: { 200: z.object({ items: z.record(z.string(), userView) }), 400: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const ids = [
        ...new Set(
          request.query.ids
            .split(',')
            .map((s) => s.trim())
            .filter(isUserId),
        ),
      ].slice(0, 100);
      const items: Record<string, z.infer<typeof userView>> = {};
      for (const id of ids) {
        const user = await findUserById(ctx.db, id);
        if (user) items[id] = toUserView(user);
      }
      return { items };
    },
  );

  app.post(
    '/internal/2fa/verify',
    {
      onRequest: serviceOnly,
      schema: {
        body: z.strictObject({ user_id: z.string().max(64), code: z.string().max(64) }),
        response: {
          200: z.object({ two_factor_enabled: z.boolean(), valid: z.boolean() }),
          403: errorSchema,
          404: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (request) => {
      const user = await findUserById(ctx.db, request.body.user_id);
      if (!user) throw userNotFound();
      if (!user.totpSecret) return { two_factor_enabled: false, valid: false };
      // No client address here: the caller is a service, so only the account's counter applies.
      const method = await verifySecondFactor(ctx, user, classifyCode(request.body.code), null, 'service_check');
      if (!method) await recordEvent(ctx.db, { userId: user.id, type: 'two_factor_failed', details: { during: 'service_check' } });
      return { two_factor_enabled: true, valid: method !== null };
    },
  );
}
