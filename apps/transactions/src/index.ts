import { createHttpApp, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { migrations } from './migrations.js';

export const SCHEMA = 'transactions';

/** Skeleton: replaced by the real service. */
export async function createTransactionsService(deps: ServiceDeps): Promise<PuperoService> {
  await migrate(deps.db, SCHEMA, migrations);
  const { app } = await createHttpApp({
    name: 'transactions',
    logger: deps.logger.child({ service: 'transactions' }),
    bodyLimit: deps.common.bodyLimit,
    readiness: { database: async () => void (await deps.db.query('SELECT 1')) },
  });
  return { name: 'transactions', app, start: async () => {}, stop: async () => {} };
}
