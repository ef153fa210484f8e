import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, TAGS } from '@pupero/http';
import type { LoginContext } from '../context.js';
import { clientInfo } from '../shared/client-info.js';
import { noContent, userView } from '../shared/schemas.js';
import { callerAccount } from '../sessions/session-guard.js';
import { registrationTargets } from '../throttle/targets.js';
import { changePassword, register } from './account.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.js';
import { USERNAME_RULE } from './username.js';
import { toUserView } from './users-store.js';
import { authed, errorSchema } from '../shared/errors.js';

const tags = [TAGS.auth];
// Bounds here only stop absurd input; the real rules answer with invalid_username / weak_password and say why.
const usernameField = z.string().max(256).describe(`${USERNAME_RULE}; unique regardless of case`);
const newPasswordField = z
  .string()
  .max(4096)
  .describe(`${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters, not a common password, not the username`);

export function registerAccountRoutes(app: App, ctx: LoginContext): void {
  const { guards } = ctx;
  app.post(
    '/auth/register',
    {
      schema: {
        tags,
        summary: 'Create an account',
        description:
          'Errors: 400 invalid_username, 400 weak_password (the message says why), 409 username_taken, 429 rate_limited with ' +
          'Retry-After (too many registrations from this address: LOGIN_REGISTER_IP_MAX per LOGIN_REGISTER_IP_WINDOW_SECONDS).',
        body: z.strictObject({ username: usernameField, password: newPasswordField }),
        response: {
          201: z.object({ user: z.object({ id: z.string(), username: z.string(), created_at: z.iso.datetime() }) }),
          400: errorSchema,
          409: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const client = clientInfo(request);
      // Every try counts, refused ones too: probing for taken names is as much to limit as mass sign-ups.
      await ctx.throttle.attempt(registrationTargets(client.ip));
      const user = await register(ctx.db, request.body, client);
      reply.status(201);
      return { user: { id: user.id, username: user.username, created_at: user.createdAt.toISOString() } };
    },
  );

  app.get('/auth/me', authed(guards.user, { tags, summary: 'The logged-in account', response: { 200: userView } }), async (request) =>
    toUserView(await callerAccount(ctx, request)),
  );

  app.post(
    '/auth/password',
    authed(guards.user, {
      tags,
      summary: 'Change the password (ends every other session)',
      description:
        'Errors: 400 invalid_current_password, 400 weak_password, 400 password_unchanged, 429 rate_limited (too many wrong current passwords).',
      body: z.strictObject({ current_password: z.string().max(4096), new_password: newPasswordField }),
      response: { 204: noContent, 400: errorSchema, 429: errorSchema },
    }),
    async (request, reply) => {
      const user = await callerAccount(ctx, request);
      await changePassword(
        ctx,
        user,
        { currentPassword: request.body.current_password, newPassword: request.body.new_password },
        currentUser(request).sessionId,
        clientInfo(request),
      );
      return reply.status(204).send(null);
    },
  );
}
