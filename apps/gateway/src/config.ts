import { z } from 'zod';
import { env, loadConfig } from '@pupero/config';

export const gatewayConfigSchema = z.object({
  // Everyone on a local sandbox (browser, scripts, test clients) shares 127.0.0.1: a flood guard, not a quota.
  RATE_LIMIT_PER_MINUTE: env.int(6000, 1),
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
