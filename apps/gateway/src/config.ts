import { z } from 'zod';
import { env, loadConfig } from '@pupero/config';

export const gatewayConfigSchema = z.object({
  RATE_LIMIT_PER_MINUTE: env.int(1200, 1),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (e: Record<string, string | undefined>) => loadConfig(gatewayConfigSchema, e);
