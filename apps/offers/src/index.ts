import { createHttpApp, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { migrations } from './migrations.js';

export const SCHEMA = 'offers';

/** Skeleton: replaced by the real service. */
export async function createOffersService(deps: ServiceDeps): Promise<PuperoService> {
  await migrate(deps.db, SCHEMA, migrations);
  const { app } = await createHttpApp({
    name: 'offers',
    logger: deps.logger.child({ service: 'offers' }),
    bodyLimit: deps.common.bodyLimit,
    readiness: { database: async () => void (await deps.db.query('SELECT 1')) },
  });
  return { name: 'offers', app, start: async () => {}, stop: async () => {} };
}
