import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { ErrorResponseSchema } from './error-schema.js';

/**
 * An auth check (a bearer guard, a role guard, the service token): throws to refuse. `refuses`
 * names the statuses it answers besides 401 (a role guard: 403), for the OpenAPI document.
 */
export type Guard = ((request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) & { refuses?: readonly number[] };

/** A guard that also answers these statuses (a role guard: [403]). */
export function refusing<G extends Guard>(guard: G, statuses: readonly number[]): G {
  return Object.assign(guard, { refuses: statuses });
}

/** The OpenAPI tags of the public API, one list for every service (the merged document groups by them). */
export const TAGS = {
  auth: 'Auth',
  twoFactor: 'Two-factor authentication',
  admin: 'Admin',
  offers: 'Offers',
  prices: 'Prices',
  trades: 'Trades',
  events: 'Events',
  reputation: 'Reputation',
  balance: 'Balance',
  wallet: 'Wallet',
  dev: 'Dev chain',
} as const;

/** OpenAPI `security` of a route that needs an access token. */
export const BEARER_SECURITY = [{ bearerAuth: [] as string[] }];

type WithAuth<S extends FastifySchema, E> = S & {
  security: typeof BEARER_SECURITY;
  response: (S extends { response: infer R } ? R : unknown) & { 401: E; 403?: E };
};

/**
 * `authed(guard, schema)`: the options of a route behind an auth guard. The guard runs in
 * onRequest, the one auth phase of every service (a caller without a valid token gets 401 before
 * the body is read or validated), and the same call sets the OpenAPI `security` and the 401
 * response, so the document cannot disagree with what is enforced. Bound to the service's error
 * schema (errors.ts: `export const authed = authedRoutes(errorSchema)`).
 */
export function authedRoutes<E extends ErrorResponseSchema>(errorSchema: E) {
  return <S extends FastifySchema>(guard: Guard | Guard[], schema: S): { onRequest: Guard[]; schema: WithAuth<S, E> } => {
    const guards = Array.isArray(guard) ? guard : [guard];
    const refusals = Object.fromEntries([401, ...guards.flatMap((g) => g.refuses ?? [])].map((status) => [status, errorSchema]));
    return {
      onRequest: guards,
      schema: { ...schema, security: BEARER_SECURITY, response: { ...refusals, ...(schema.response ?? {}) } } as WithAuth<S, E>,
    };
  };
}
