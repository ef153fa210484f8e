/**
 * Runs ONLY the wallet manager in this process (for the crash tests, which SIGKILL it): on
 * PostgreSQL when DATABASE_URL is set, else on its own embedded PGlite under DATA_DIR (the wallet
 * schema never shares tables with other services, so it may live in its own database).
 */
import { commonConfigSchema, loadConfig, resolveCommonConfig } from '@pupero/config';
import { openDatabase } from '@pupero/db';
import { createLogger } from '@pupero/http';
import { startStack } from '@pupero/stack';

const e = loadConfig(commonConfigSchema, process.env);
if (!e.SERVICE_TOKEN) throw new Error('SERVICE_TOKEN is required');
const common = resolveCommonConfig(e, e.SERVICE_TOKEN);
const logger = createLogger({ name: 'pupero', level: common.logLevel });
const db = await openDatabase({ databaseUrl: common.databaseUrl, dataDir: common.dataDir, applicationName: 'pupero-wallet-manager' });
const stack = await startStack(['wallet-manager'], common, logger, process.env, db);
logger.info({ port: common.ports.walletManager }, 'wallet manager up');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
