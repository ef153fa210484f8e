// npm run deploy:init — writes deploy/.env with fresh random secrets for the compose stack.
// Refuses to overwrite an existing file (its secrets protect a database and a wallet that already
// exist); pass --force to replace it. Nothing here is ever baked into an image.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('./.env', import.meta.url));
if (existsSync(file) && !process.argv.includes('--force')) {
  console.error(`${file} exists; keeping it (its secrets open the existing database and hot wallet). Use --force to replace it.`);
  process.exit(0);
}
const token = (bytes = 32) => randomBytes(bytes).toString('hex');
const bind = process.env.PUPERO_BIND ?? '127.0.0.1';
const lines = [
  '# Created by `npm run deploy:init`. Secrets for deploy/compose.yaml: keep this file private, never commit it.',
  `# Published on ${bind} only (ports 5000 web, 8000 API); change PUPERO_BIND to expose them.`,
  `PUPERO_BIND=${bind}`,
  `PUPERO_PUBLIC_HOST=${process.env.PUPERO_PUBLIC_HOST ?? 'localhost'}`,
  `SERVICE_TOKEN=${token()}`,
  `LOGIN_SECRETS_KEY=${randomBytes(32).toString('base64')}`,
  `HOT_WALLET_PASSWORD=${token()}`,
  `MONERO_RPC_USERNAME=pupero`,
  `MONERO_RPC_PASSWORD=${token()}`,
  `POSTGRES_PASSWORD=${token()}`,
  `LOGIN_DB_PASSWORD=${token()}`,
  `OFFERS_DB_PASSWORD=${token()}`,
  `TRANSACTIONS_DB_PASSWORD=${token()}`,
  `WALLET_DB_PASSWORD=${token()}`,
  '# The Monero network of the stack: testnet (default) or regtest (also: --profile regtest).',
  'COMPOSE_PROFILES=testnet',
  'COMPOSE_PROJECT_NAME=pupero',
  '',
];
writeFileSync(file, lines.join('\n'), { mode: 0o600 });
console.log(`wrote ${file} with fresh random secrets`);
