import { z } from 'zod';
import { env, loadConfig } from '@pupero/config';

export const gatewayConfigSchema = z.object({
  // Everyone on a local sandbox (browser, scripts, test clients) shares 127.0.0.1: a flood guard, not a quota.
  RATE_LIMIT_PER_MINUTE: env.int(6000, 1),
  /**
   * How long the gateway waits for a service's answer (ms); past it: 504 upstream_timeout. The
   * services keep their own budgets below it (the wallet manager's WALLET_RPC_REQUEST_TIMEOUT_MS).
   */
  GATEWAY_UPSTREAM_TIMEOUT_MS: env.int(30_000, 100, 600_000),
  /** Open connections per client address (socket address, not X-Forwarded-For); 0: no cap. */
  MAX_CONNECTIONS_PER_ADDRESS: env.int(64, 0),
  /** Shared counters for several gateway replicas (redis://host:6379); unset: in memory, per process. */
  REDIS_URL: z
    .string()
    .regex(/^redis:\/\//, 'must be a redis:// URL')
    .optional(),
  /** Key prefix of the counters in Redis (several deployments can share one Redis). */
  RATE_LIMIT_REDIS_PREFIX: z.string().default('pupero-rate-limit:'),
  /**
   * Whom to believe about the client address (X-Forwarded-For): "false" (the gateway is the edge),
   * "true" (any proxy), a hop count, or a comma list of proxy addresses/CIDRs (a load balancer).
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (e: Record<string, string | undefined>) => loadConfig(gatewayConfigSchema, e);
