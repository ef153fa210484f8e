/**
 * Admin CLI of the Login API: `npm run admin -- create <username>` and friends (see USAGE).
 * It opens the same database as the server and applies the login migrations first.
 */
import { commonConfigSchema, ConfigError, loadConfig } from '@pupero/config';
import { DatabaseInUseError, migrate, openDatabase, type Db } from '@pupero/db';
import { migrations } from '../migrations.js';
import { loadLoginConfig } from '../config.js';
import { describeError, runAdminCommand, USAGE } from './admin-commands.js';

async function passwordFromEnvOrStdin(): Promise<string | undefined> {
  const fromEnv = process.env.PUPERO_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return undefined; // interactive: generate one rather than echo a typed password
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  return line ? line : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help') {
    console.log(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const common = loadConfig(commonConfigSchema, process.env);
  const login = loadLoginConfig(process.env);
  let db: Db | undefined;
  try {
    db = await openDatabase({
      databaseUrl: common.DATABASE_URL,
      dataDir: common.DATA_DIR,
      applicationName: 'pupero-admin-cli',
      owner: 'the admin CLI',
    });
    await migrate(db, 'login', migrations);
    await runAdminCommand(db, args, { out: (line) => console.log(line), readPassword: passwordFromEnvOrStdin }, login);
    return 0;
  } finally {
    await db?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) console.error(error.message);
    else console.error(describeError(error));
    process.exit(1);
  },
);
