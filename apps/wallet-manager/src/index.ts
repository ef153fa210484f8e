import { createHttpApp, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { migrations } from './migrations.js';

export const SCHEMA = 'wallet';

/** Skeleton: replaced by the real service. */
export async function createWalletManagerService(deps: ServiceDeps): Promise<PuperoService> {
  await migrate(deps.db, SCHEMA, migrations);
  const { app } = await createHttpApp({
    name: 'wallet-manager',
    logger: deps.logger.child({ service: 'wallet-manager' }),
    bodyLimit: deps.common.bodyLimit,
    readiness: { database: async () => void (await deps.db.query('SELECT 1')) },
  });
  return { name: 'wallet-manager', app, start: async () => {}, stop: async () => {} };
}
