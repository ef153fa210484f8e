import { loadConfig, commonConfigSchema, resolveCommonConfig, ConfigError } from '@pupero/config';
import { createLogger, startDraining } from '@pupero/http';
import { randomServiceToken, startStack, type StackPart } from './stack.js';
import { BACKEND_SERVICES } from './registry.js';

const ALL: StackPart[] = [...BACKEND_SERVICES, 'gateway', 'web'];

function usage(): never {
  console.error(`usage: npm run service -- <all|${ALL.join('|')}> [more parts...]`);
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  const parts: StackPart[] = args.length === 0 || args.includes('all') ? ALL : (args as StackPart[]);
  if (parts.some((p) => !ALL.includes(p))) usage();

  const e = loadConfig(commonConfigSchema, process.env);
  const backendsHere = BACKEND_SERVICES.filter((s) => parts.includes(s));
  // The embedded PGlite belongs to one process: splitting the backends needs a PostgreSQL server.
  const splitBackends = backendsHere.length > 0 && backendsHere.length < BACKEND_SERVICES.length;
  if (splitBackends && !e.DATABASE_URL) {
    throw new ConfigError([
      'DATABASE_URL: one service per process needs a PostgreSQL server (the embedded PGlite belongs to one process) (not set)',
    ]);
  }
  const selfContained = backendsHere.length === BACKEND_SERVICES.length && parts.includes('gateway');
  if (!selfContained && !e.SERVICE_TOKEN) {
    throw new ConfigError(['SERVICE_TOKEN: services in separate processes must share one secret of 24+ characters (not set)']);
  }
  const common = resolveCommonConfig(e, e.SERVICE_TOKEN ?? randomServiceToken());
  const logger = createLogger({ name: 'pupero', level: common.logLevel });
  const t0 = Date.now();
  const stack = await startStack(parts, common, logger, process.env);
  logger.info(
    { ms: Date.now() - t0, parts, database: common.databaseUrl ? 'postgresql' : 'pglite' },
    `Pupero is up: web http://localhost:${common.ports.web}  API http://localhost:${common.ports.gateway}  docs http://localhost:${common.ports.gateway}/docs`,
  );

  const drainMs = Math.max(0, Math.min(60, Number(process.env.SHUTDOWN_DRAIN_SECONDS ?? 0) || 0)) * 1000;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000 + drainMs);
    force.unref();
    if (drainMs > 0) {
      // Replicas behind a balancer: report not-ready first, keep serving until it has noticed.
      startDraining();
      logger.info({ signal, drain_ms: drainMs }, 'draining: /readyz answers 503 before the listener closes');
      await new Promise((r) => setTimeout(r, drainMs));
    }
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await stack.stop();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`Pupero failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
