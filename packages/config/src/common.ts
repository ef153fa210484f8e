import { z } from 'zod';
import { env } from './load.js';

export const SERVICE_NAMES = ['gateway', 'login', 'offers', 'transactions', 'wallet-manager', 'web'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Variables every service reads. Each service adds its own schema beside its code. */
export const commonConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  GATEWAY_PORT: env.port(8000),
  LOGIN_PORT: env.port(8001),
  OFFERS_PORT: env.port(8002),
  TRANSACTIONS_PORT: env.port(8003),
  WALLET_PORT: env.port(8004),
  WEB_PORT: env.port(5000),
  LOGIN_URL: env.urlList().optional(),
  OFFERS_URL: env.urlList().optional(),
  TRANSACTIONS_URL: env.urlList().optional(),
  WALLET_URL: env.urlList().optional(),
  GATEWAY_PUBLIC_URL: env.url().optional(),
  WEB_ORIGIN: z.string().default('http://localhost:5000,http://127.0.0.1:5000'),
  SERVICE_TOKEN: z.string().min(24, 'must be at least 24 characters (a random secret shared by the services)').optional(),
  BODY_LIMIT_BYTES: env.int(65_536, 1024, 10_485_760),
  TRUSTED_PROXIES: z.string().default('loopback'),
  // Slow or idle clients are cut off (issue 13: a 2 bytes/s body was held forever).
  HTTP_HEADERS_TIMEOUT_MS: env.int(10_000, 100, 600_000),
  HTTP_REQUEST_TIMEOUT_MS: env.int(30_000, 100, 600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: env.int(5_000, 100, 600_000),
  HTTP_IDLE_TIMEOUT_MS: env.int(120_000, 1000, 3_600_000),
  HTTP_MAX_URL_BYTES: env.int(8192, 256, 16_000),
});
export type CommonEnv = z.infer<typeof commonConfigSchema>;

export interface ServiceUrls {
  login: string;
  offers: string;
  transactions: string;
  walletManager: string;
  gateway: string;
}

/** What every service factory receives, resolved from the environment (or built by tests). */
export interface CommonConfig {
  env: CommonEnv['NODE_ENV'];
  logLevel: CommonEnv['LOG_LEVEL'];
  host: string;
  dataDir: string;
  databaseUrl?: string;
  bodyLimit: number;
  /** Timeouts and the URL limit of every listener (the HTTP_* variables). */
  http: {
    /** Until the request headers are complete (Node's headersTimeout): 408 after. */
    headersTimeoutMs: number;
    /** Until the whole request (headers and body) is received (Node's requestTimeout): 408 after. */
    requestTimeoutMs: number;
    /** An idle keep-alive connection is closed after this long (Fastify's own default is 72 s). */
    keepAliveTimeoutMs: number;
    /** A connection with no bytes either way this long is closed (SSE heartbeats keep streams open). */
    idleTimeoutMs: number;
    /** Longer request targets (path and query) are 414 uri_too_long. */
    maxUrlBytes: number;
  };
  /**
   * Whose X-Forwarded-For a service believes (the gateway's address): "loopback" by default, or a
   * comma list of addresses/CIDRs when the gateway runs on another host or container.
   */
  trustedProxies: string;
  webOrigins: string[];
  /** Secret that internal (service-to-service) endpoints require in the x-service-token header. */
  serviceToken: string;
  urls: ServiceUrls;
  ports: Record<'gateway' | 'login' | 'offers' | 'transactions' | 'walletManager' | 'web', number>;
}

export function resolveCommonConfig(e: CommonEnv, serviceToken: string): CommonConfig {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  // A service called by other services uses the first of its listed replicas; the gateway balances over all.
  const first = (list: string | undefined) => list?.split(',')[0]!.trim();
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    bodyLimit: e.BODY_LIMIT_BYTES,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      maxUrlBytes: e.HTTP_MAX_URL_BYTES,
    },
    trustedProxies: e.TRUSTED_PROXIES,
    webOrigins: e.WEB_ORIGIN.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    serviceToken,
    urls: {
      login: first(e.LOGIN_URL) ?? local(e.LOGIN_PORT),
      offers: first(e.OFFERS_URL) ?? local(e.OFFERS_PORT),
      transactions: first(e.TRANSACTIONS_URL) ?? local(e.TRANSACTIONS_PORT),
      walletManager: first(e.WALLET_URL) ?? local(e.WALLET_PORT),
      gateway: e.GATEWAY_PUBLIC_URL ?? local(e.GATEWAY_PORT),
    },
    ports: {
      gateway: e.GATEWAY_PORT,
      login: e.LOGIN_PORT,
      offers: e.OFFERS_PORT,
      transactions: e.TRANSACTIONS_PORT,
      walletManager: e.WALLET_PORT,
      web: e.WEB_PORT,
    },
  };
}
