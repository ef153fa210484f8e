import type { Logger } from 'pino';
import type { CommonConfig } from '@pupero/config';
import type { Db } from '@pupero/db';
import { createHttpApp, type App, type HttpAppOptions } from './app.js';

/** Everything a service factory gets. `env` is read by the service's own config schema. */
export interface ServiceDeps {
  common: CommonConfig;
  db: Db;
  logger: Logger;
  env: Record<string, string | undefined>;
}

/**
 * What every service factory returns. The stack (one process or one per service) listens on
 * `app`, calls `start()` for background work (sweeps, pollers) after listening and `stop()` on
 * shutdown (before the app closes and the database is closed).
 */
export interface PuperoService {
  name: string;
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * createHttpApp with what every backend service shares: the body limit, whose X-Forwarded-For to
 * believe, and a database readiness check (services add their own checks beside it).
 */
export function createServiceApp(
  deps: ServiceDeps,
  options: Omit<HttpAppOptions, 'bodyLimit' | 'limits' | 'trustProxy' | 'errorSchema'> & Required<Pick<HttpAppOptions, 'errorSchema'>>,
): ReturnType<typeof createHttpApp> {
  return createHttpApp({
    ...options,
    bodyLimit: deps.common.bodyLimit,
    limits: deps.common.http,
    trustProxy: deps.common.trustedProxies,
    readiness: { database: async () => void (await deps.db.query('SELECT 1')), ...options.readiness },
  });
}
