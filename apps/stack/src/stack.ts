import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { CommonConfig } from '@pupero/config';
import { openDatabase, type Db } from '@pupero/db';
import type { PuperoService } from '@pupero/http';
import { createGatewayService } from '@pupero/gateway';
import { BACKEND_SERVICES, FACTORIES, PORT_KEY, type BackendService } from './registry.js';
import { createWebServer } from './web-server.js';

export type StackPart = BackendService | 'gateway' | 'web';

export interface RunningStack {
  services: PuperoService[];
  db?: Db;
  stop(): Promise<void>;
}

/**
 * Starts the given parts in this process. Backend services share one database handle (one PGlite
 * in the embedded default). Order: backends, then gateway and web; shutdown in reverse.
 */
export async function startStack(
  parts: StackPart[],
  common: CommonConfig,
  logger: Logger,
  env: Record<string, string | undefined>,
  db?: Db,
): Promise<RunningStack> {
  const backends = BACKEND_SERVICES.filter((s) => parts.includes(s));
  const ownsDb = !db && backends.length > 0;
  const database =
    db ??
    (backends.length
      ? await openDatabase({
          databaseUrl: common.databaseUrl,
          dataDir: common.dataDir,
          applicationName: `pupero-${backends.join('+')}`,
          owner: 'the Pupero server',
        })
      : undefined);
  const started: PuperoService[] = [];
  const stop = async () => {
    for (const service of [...started].reverse()) {
      await service.stop().catch((error) => logger.error({ err: error, service: service.name }, 'stop failed'));
      await service.app.close().catch(() => undefined);
    }
    if (ownsDb) await database?.close();
  };
  try {
    for (const name of backends) {
      const t0 = Date.now();
      const service = await FACTORIES[name]({ common, db: database!, logger, env });
      await service.app.listen({ host: common.host, port: common.ports[PORT_KEY[name]] });
      started.push(service);
      await service.start();
      logger.info({ service: name, ms: Date.now() - t0, port: common.ports[PORT_KEY[name]] }, `${name} ready`);
    }
    if (parts.includes('gateway')) {
      const gateway = await createGatewayService({ common, logger, env });
      await gateway.app.listen({ host: common.host, port: common.ports.gateway });
      started.push(gateway);
    }
    if (parts.includes('web')) {
      const web = await createWebServer({ common, logger });
      await web.app.listen({ host: common.host, port: common.ports.web });
      started.push(web);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { services: started, db: database, stop };
}

export function randomServiceToken(): string {
  return randomBytes(32).toString('base64url');
}
