import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { badRequest, notFound, type App } from '@pupero/http';
import type { LoginContext } from '../context.js';
import { bearer, errorBody, userView } from '../common/schemas.js';
import type { SessionGuards } from '../sessions/session-guard.js';
import { addRole, GRANTABLE_ROLES, removeRole, type GrantableRole } from '../accounts/roles.js';
import { findUserById, listUsers, toUserView } from '../accounts/users-store.js';

const tags = ['Admin'];
const roleParams = z.object({ id: z.string().max(64), role: z.enum(GRANTABLE_ROLES as [GrantableRole, ...GrantableRole[]]) });

export function registerAdminRoutes(app: App, ctx: LoginContext, guards: SessionGuards): void {
  app.get(
    '/admin/users',
    {
      preHandler: guards.role('admin', 'moderator'),
      schema: {
        tags,
        summary: 'Find users (admins and moderators)',
        security: bearer,
        querystring: z.strictObject({
          prefix: z.string().max(32).optional().describe('Usernames starting with this (any case)'),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: z.string().max(64).optional(),
        }),
        response: { 200: z.object({ items: z.array(userView), next_cursor: z.string().nullable() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const after = request.query.cursor === undefined ? undefined : Buffer.from(request.query.cursor, 'base64url').toString('utf8');
      const page = await listUsers(ctx.db, { prefix: request.query.prefix, limit: request.query.limit, after });
      return {
        items: page.items.map(toUserView),
        next_cursor: page.nextCursor === null ? null : Buffer.from(page.nextCursor).toString('base64url'),
      };
    },
  );

  const changeRole = (grant: boolean) => async (request: { params: z.infer<typeof roleParams> } & Parameters<typeof currentUser>[0]) => {
    const admin = currentUser(request);
    const { id, role } = request.params;
    if (!grant && id === admin.id && role === 'admin') {
      throw badRequest('cannot_revoke_own_admin', 'You cannot take the admin role from yourself; ask another admin or use the admin CLI.');
    }
    const user = await findUserById(ctx.db, id);
    if (!user) throw notFound('user_not_found', 'No user has this id.');
    await ctx.db.transaction((tx) => (grant ? addRole(tx, user.id, role, admin.id) : removeRole(tx, user.id, role, admin.id)));
    return toUserView((await findUserById(ctx.db, id))!);
  };

  const roleRoute = {
    preHandler: guards.role('admin'),
    schema: {
      tags,
      security: bearer,
      params: roleParams,
      response: { 200: userView, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  };

  app.put('/admin/users/:id/roles/:role', { ...roleRoute, schema: { ...roleRoute.schema, summary: 'Grant a role (admins only)' } }, changeRole(true));
  app.delete(
    '/admin/users/:id/roles/:role',
    {
      ...roleRoute,
      schema: {
        ...roleRoute.schema,
        summary: 'Revoke a role (admins only)',
        description: 'Access tokens already issued keep the role until they expire (at most 15 minutes); refreshes drop it at once.',
      },
    },
    changeRole(false),
  );
}
