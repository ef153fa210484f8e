import { createHttpApp, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { migrations } from './migrations.js';

export const SCHEMA = 'login';

/** Skeleton: replaced by the real service. */
export async function createLoginService(deps: ServiceDeps): Promise<PuperoService> {
  await migrate(deps.db, SCHEMA, migrations);
  const { app } = await createHttpApp({
    name: 'login',
    logger: deps.logger.child({ service: 'login' }),
    bodyLimit: deps.common.bodyLimit,
    readiness: { database: async () => void (await deps.db.query('SELECT 1')) },
  });
  return { name: 'login', app, start: async () => {}, stop: async () => {} };
}

/** Grants a role to a user (used by the admin CLI and by tests). Skeleton until the login service lands. */
export async function grantRole(db: import('@pupero/db').Db, username: string, role: 'admin' | 'moderator'): Promise<void> {
  void db; void username; void role;
  throw new Error('not implemented yet');
}
