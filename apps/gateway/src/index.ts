import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { createHttpApp, tooManyRequests, type PuperoService } from '@pupero/http';
import type { CommonConfig } from '@pupero/config';
import type { Logger } from 'pino';
import { loadGatewayConfig } from './config.js';

export { GATEWAY_ERROR_CODES, type GatewayErrorCode } from './errors.js';
import { registerProxies } from './routing/proxy.js';
import { mergedOpenApi } from './docs/openapi-merge.js';
import { registerDocsViewer } from './docs/viewer.js';
import { upstreamReadiness } from './health/upstreams.js';
import { upstreamPools } from './routing/upstream-pool.js';
import { rateLimitRedis, RespClient } from './rate-limit/resp-client.js';

export interface GatewayDeps {
  common: CommonConfig;
  logger: Logger;
  env: Record<string, string | undefined>;
}

/** The API manager: the one public entry point in front of the services. */
export async function createGatewayService(deps: GatewayDeps): Promise<PuperoService> {
  const config = loadGatewayConfig(deps.env);
  const log = deps.logger.child({ service: 'gateway' });
  const pools = upstreamPools(deps.env, deps.common.urls, {
    onChange: (url, healthy) =>
      healthy ? log.info({ upstream: url }, 'replica back in the pool') : log.warn({ upstream: url }, 'replica taken out of the pool'),
  });
  const { app } = await createHttpApp({
    name: 'gateway',
    logger: deps.logger.child({ service: 'gateway' }),
    bodyLimit: deps.common.bodyLimit,
    limits: deps.common.http,
    maxConnectionsPerAddress: config.MAX_CONNECTIONS_PER_ADDRESS,
    trustProxy: config.TRUST_PROXY,
    readiness: upstreamReadiness(pools),
    openapiDocument: () => mergedOpenApi(deps.common.urls, '0.1.0'),
  });

  await app.register(cors, {
    origin: deps.common.webOrigins,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  // With REDIS_URL the per-address counters are shared by every gateway replica. A Redis outage
  // lets requests through (skipOnError): the limit is a flood guard, not worth an outage.
  const redis = config.REDIS_URL ? new RespClient(config.REDIS_URL) : undefined;
  if (redis) app.addHook('onClose', async () => redis.close());
  await app.register(rateLimit, {
    ...(redis ? { redis: rateLimitRedis(redis), nameSpace: config.RATE_LIMIT_REDIS_PREFIX, skipOnError: true } : {}),
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    allowList: (request) => ['/healthz', '/readyz', '/metrics'].includes(request.url),
    errorResponseBuilder: (_request, context) =>
      tooManyRequests(`Too many requests from your address; retry in ${Math.ceil(context.ttl / 1000)} s.`, Math.ceil(context.ttl / 1000)),
  });

  registerDocsViewer(app);
  await registerProxies(app, pools, config.GATEWAY_UPSTREAM_TIMEOUT_MS);

  // Replica health polling runs from creation (the stack starts a gateway by listening only).
  const all = Object.values(pools);
  all.forEach((p) => p.start());
  app.addHook('onClose', async () => all.forEach((p) => p.stop()));
  return { name: 'gateway', app, start: async () => {}, stop: async () => all.forEach((p) => p.stop()) };
}
