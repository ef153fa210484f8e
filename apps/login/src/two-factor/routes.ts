import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, TAGS } from '@pupero/http';
import type { LoginContext } from '../context.js';
import { clientInfo } from '../shared/client-info.js';
import { codeField, noContent } from '../shared/schemas.js';
import { callerAccount } from '../sessions/session-guard.js';
import { disable, enable, regenerateRecoveryCodes, startSetup } from './two-factor.js';
import { authed, errorSchema } from '../shared/errors.js';

const tags = [TAGS.twoFactor];
const recoveryCodes = z.object({
  recovery_codes: z.array(z.string()).describe('Ten single-use codes, shown only now: store them safely'),
});

export function registerTwoFactorRoutes(app: App, ctx: LoginContext): void {
  const { guards } = ctx;
  app.post(
    '/auth/2fa/setup',
    authed(guards.user, {
      tags,
      summary: 'Start 2FA setup: a new TOTP secret (2FA stays off until enabled)',
      description: 'RFC 6238: SHA1, 6 digits, 30 s. Errors: 409 two_factor_already_enabled.',
      response: {
        200: z.object({
          secret: z.string().describe('Base32 secret to type into an authenticator app'),
          otpauth_url: z.string().describe('otpauth://totp/Pupero:<username>?... for a QR code'),
        }),
        409: errorSchema,
      },
    }),
    async (request) => startSetup(ctx, await callerAccount(ctx, request)),
  );

  app.post(
    '/auth/2fa/enable',
    authed(guards.user, {
      tags,
      summary: 'Turn 2FA on with a code from the new secret (ends every other session)',
      description:
        'Every other session of the account ends (its refresh token stops working); this one stays. ' +
        'Errors: 400 invalid_two_factor_code, 409 two_factor_setup_required, 409 two_factor_already_enabled, 429 rate_limited.',
      body: z.strictObject({ code: z.string().min(1).max(64).describe('The current 6-digit code of the authenticator app') }),
      response: { 200: recoveryCodes, 400: errorSchema, 409: errorSchema, 429: errorSchema },
    }),
    async (request) => ({
      recovery_codes: await enable(
        ctx,
        await callerAccount(ctx, request),
        request.body.code,
        clientInfo(request),
        currentUser(request).sessionId,
      ),
    }),
  );

  app.post(
    '/auth/2fa/disable',
    authed(guards.user, {
      tags,
      summary: 'Turn 2FA off (needs a current code or a recovery code)',
      description: 'Errors: 400 invalid_two_factor_code, 409 two_factor_not_enabled, 429 rate_limited.',
      body: z.strictObject({ code: codeField }),
      response: { 204: noContent, 400: errorSchema, 409: errorSchema, 429: errorSchema },
    }),
    async (request, reply) => {
      await disable(ctx, await callerAccount(ctx, request), request.body.code, clientInfo(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/2fa/recovery-codes',
    authed(guards.user, {
      tags,
      summary: 'Replace my recovery codes with ten new ones',
      description:
        'Needs a current code or a recovery code. Errors: 400 invalid_two_factor_code, 409 two_factor_not_enabled, 429 rate_limited.',
      body: z.strictObject({ code: codeField }),
      response: { 200: recoveryCodes, 400: errorSchema, 409: errorSchema, 429: errorSchema },
    }),
    async (request) => ({
      recovery_codes: await regenerateRecoveryCodes(ctx, await callerAccount(ctx, request), request.body.code, clientInfo(request)),
    }),
  );
}
