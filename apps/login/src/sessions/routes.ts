import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, AppError, idParams, TAGS } from '@pupero/http';
import { authed, notFound, errorSchema } from '../shared/errors.js';
import { Counter } from 'prom-client';
import type { LoginContext } from '../context.js';
import { clientInfo } from '../shared/client-info.js';
import { recordEvent } from '../audit/audit-store.js';
import { noContent, userView } from '../shared/schemas.js';
import { login, logout, refresh } from './login.js';
import { listActiveSessions, revokeOwnSession } from './sessions-store.js';

const tags = [TAGS.auth];

const tokenPair = {
  access_token: z.string().describe('EdDSA-signed JWT; send as Authorization: Bearer <access_token>'),
  refresh_token: z.string().describe('Opaque; single use: each refresh returns a new one'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('Seconds until the access token expires'),
};

const refreshBody = z.strictObject({ refresh_token: z.string().max(512) });

export function registerSessionRoutes(app: App, ctx: LoginContext): void {
  const { guards } = ctx;
  // Alert on this: a jump in invalid_credentials / rate_limited is someone guessing passwords.
  const attempts = new Counter({
    name: 'pupero_login_attempts_total',
    help: 'Login attempts by outcome',
    labelNames: ['outcome'],
    registers: [ctx.metrics],
  });

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in: an access token and a refresh token',
        description:
          'Errors: 401 invalid_credentials (unknown user or wrong password: the same answer), 401 two_factor_required ' +
          '(2FA is on and the code is missing or wrong; details.reason says which), 429 rate_limited with Retry-After ' +
          '(too many failures for this account from this address, or from this address; the right password from an address ' +
          'that has not failed is never refused, at most held back by a bounded delay while the account is under attack).',
        body: z.strictObject({
          username: z.string().min(1).max(256),
          password: z.string().min(1).max(4096),
          totp_code: z.string().max(64).optional().describe('The current 6-digit code, when 2FA is on'),
          recovery_code: z.string().max(64).optional().describe('An unused recovery code, instead of totp_code'),
        }),
        response: { 200: z.object({ ...tokenPair, user: userView }), 400: errorSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (request) => {
      try {
        const result = await login(
          ctx,
          {
            username: request.body.username,
            password: request.body.password,
            totpCode: request.body.totp_code,
            recoveryCode: request.body.recovery_code,
          },
          clientInfo(request),
        );
        attempts.inc({ outcome: 'success' });
        return result;
      } catch (error) {
        attempts.inc({ outcome: error instanceof AppError ? error.code : 'error' });
        throw error;
      }
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for new tokens',
        description:
          'The refresh token is rotated: the one sent stops working. Sending an already-used one again ends the whole ' +
          'session (401 refresh_token_reused). Other errors: 401 invalid_refresh_token.',
        body: refreshBody,
        response: { 200: z.object(tokenPair), 401: errorSchema },
      },
    },
    async (request) => refresh(ctx, request.body.refresh_token, clientInfo(request)),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'End the session of a refresh token',
        description: 'Always 204 (an unknown or already ended session is not an error). No access token needed.',
        body: refreshBody,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await logout(ctx, request.body.refresh_token, clientInfo(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/sessions',
    authed(guards.user, {
      tags,
      summary: 'My active sessions (logins)',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.string(),
              created_at: z.iso.datetime(),
              last_refreshed_at: z.iso.datetime().nullable(),
              expires_at: z.iso.datetime(),
              ip: z.string().nullable(),
              user_agent: z.string().nullable(),
              current: z.boolean().describe('The session of the token making this request'),
            }),
          ),
        }),
      },
    }),
    async (request) => {
      const caller = currentUser(request);
      return { items: await listActiveSessions(ctx.db, caller.id, caller.sessionId) };
    },
  );

  app.delete(
    '/auth/sessions/:id',
    authed(guards.user, {
      tags,
      summary: 'End one of my sessions (e.g. a lost device)',
      params: idParams,
      response: { 204: noContent, 404: errorSchema },
    }),
    async (request, reply) => {
      const caller = currentUser(request);
      await ctx.db.transaction(async (tx) => {
        if (!(await revokeOwnSession(tx, caller.id, request.params.id, 'user_request'))) {
          throw notFound('session_not_found', 'You have no active session with this id.');
        }
        await recordEvent(tx, {
          userId: caller.id,
          type: 'logout',
          client: clientInfo(request),
          details: { session_id: request.params.id },
        });
      });
      return reply.status(204).send(null);
    },
  );
}
