import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, idParams, TAGS } from '@pupero/http';
import { authed, badRequest, notFound, errorSchema } from '../shared/errors.js';
import type { LoginContext } from '../context.js';
import { userView } from '../shared/schemas.js';
import { addRole, GRANTABLE_ROLES, removeRole, type GrantableRole } from '../accounts/roles.js';
import { findUserById, listUsers, toUserView } from '../accounts/users-store.js';

const tags = [TAGS.admin];
const roleParams = idParams.extend({ role: z.enum(GRANTABLE_ROLES as [GrantableRole, ...GrantableRole[]]) });

export function registerAdminRoutes(app: App, ctx: LoginContext): void {
  const { guards } = ctx;
  app.get(
    '/admin/users',
    authed(guards.role('admin', 'moderator'), {
      tags,
      summary: 'Find users (admins and moderators)',
      querystring: z.strictObject({
        prefix: z.string().max(32).optional().describe('Usernames starting with this (any case)'),
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.string().max(64).optional(),
      }),
      response: {
        200: z.object({ items: z.array(userView), next_cursor: z.string().nullable() }),
        400: errorSchema,
        403: errorSchema,
      },
    }),
    async (request) => {
      const after = request.query.cursor === undefined ? undefined : decodeUserCursor(request.query.cursor);
      const page = await listUsers(ctx.db, { prefix: request.query.prefix, limit: request.query.limit, after });
      return {
        items: page.items.map(toUserView),
        next_cursor: page.nextCursor === null ? null : Buffer.from(page.nextCursor).toString('base64url'),
      };
    },
  );

  /** Grants or revokes; admins cannot drop their own admin role (that is how the last admin locks everyone out). */
  async function changeRole(adminId: string, params: z.infer<typeof roleParams>, grant: boolean) {
    if (!grant && params.id === adminId && params.role === 'admin') {
      throw badRequest('cannot_revoke_own_admin', 'You cannot take the admin role from yourself; ask another admin or use the admin CLI.');
    }
    const user = await findUserById(ctx.db, params.id);
    if (!user) throw notFound('user_not_found', 'No user has this id.');
    await ctx.db.transaction((tx) => (grant ? addRole(tx, user.id, params.role, adminId) : removeRole(tx, user.id, params.role, adminId)));
    return toUserView((await findUserById(ctx.db, user.id))!);
  }

  const roleSchema = {
    tags,
    params: roleParams,
    response: { 200: userView, 400: errorSchema, 403: errorSchema, 404: errorSchema },
  };

  app.put(
    '/admin/users/:id/roles/:role',
    authed(guards.role('admin'), { ...roleSchema, summary: 'Grant a role (admins only)' }),
    async (request) => changeRole(currentUser(request).id, request.params, true),
  );

  app.delete(
    '/admin/users/:id/roles/:role',
    authed(guards.role('admin'), {
      ...roleSchema,
      summary: 'Revoke a role (admins only)',
      description: 'Access tokens already issued keep the role until they expire (at most 15 minutes); refreshes drop it at once.',
    }),
    async (request) => changeRole(currentUser(request).id, request.params, false),
  );
}

/**
 * The username a cursor points at. A cursor this service never issued (found by the property test:
 * bytes that are not UTF-8, a NUL) reached PostgreSQL and was a 500; now it is 400 invalid_cursor.
 */
function decodeUserCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (!text || text.includes('\uFFFD') || /[\u0000-\u001f]/.test(text)) {
    throw badRequest('invalid_cursor', 'cursor is not valid: pass the next_cursor of the previous page unchanged.');
  }
  return text;
}
