import { z } from 'zod';
import { JWKS_PATH } from '@pupero/auth';
import { type App, TAGS } from '@pupero/http';
import type { LoginContext } from '../context.js';

export function registerTokenRoutes(app: App, ctx: LoginContext): void {
  app.get(
    JWKS_PATH,
    {
      schema: {
        tags: [TAGS.auth],
        summary: 'Public keys that verify access tokens (JWKS)',
        description: 'Ed25519 keys (alg EdDSA). The newest signs; older ones stay listed until their tokens have expired.',
        response: {
          200: z.object({
            keys: z.array(
              z.object({
                kty: z.literal('OKP'),
                crv: z.literal('Ed25519'),
                x: z.string(),
                kid: z.string(),
                alg: z.literal('EdDSA'),
                use: z.literal('sig'),
              }),
            ),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      const { keys } = await ctx.keys.jwks();
      // Only public members, whatever else a stored JWK might carry.
      return {
        keys: keys.map((k) => ({
          kty: 'OKP' as const,
          crv: 'Ed25519' as const,
          x: String(k.x),
          kid: String(k.kid),
          alg: 'EdDSA' as const,
          use: 'sig' as const,
        })),
      };
    },
  );
}
