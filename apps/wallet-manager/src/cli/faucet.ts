/**
 * Dev chain faucet: sends regtest XMR to an address through the running stack's gateway.
 *
 *   npm run faucet -- <address> <amount>        e.g. npm run faucet -- 4AfU... 10
 *   npm run faucet -- --mine <blocks>           mine blocks now (at most DEV_MINE_MAX_BLOCKS, 20)
 *
 * The gateway is GATEWAY_PUBLIC_URL, else http://127.0.0.1:$GATEWAY_PORT (8000).
 * /dev/* needs a logged-in user: PUPERO_ACCESS_TOKEN, or PUPERO_USERNAME + PUPERO_PASSWORD
 * (+ PUPERO_TOTP_CODE with 2FA on); with neither, a dev account of its own is registered once and
 * kept in $DATA_DIR/faucet-cli-account.json (./data by default).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXmr } from '@pupero/money';

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

function gatewayUrl(env: NodeJS.ProcessEnv): string {
  if (env.GATEWAY_PUBLIC_URL) return env.GATEWAY_PUBLIC_URL.replace(/\/+$/, '');
  return `http://127.0.0.1:${env.GATEWAY_PORT ?? '8000'}`;
}

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: npm run faucet -- <address> <amount in XMR>\n       npm run faucet -- --mine <blocks>');
  process.exit(2);
}

async function call(url: string, body: unknown, token?: string): Promise<{ status: number; json: Json }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
  } catch (error) {
    console.error(`cannot reach the Pupero gateway at ${url}: is the stack running (npm start)? (${(error as Error).message})`);
    process.exit(1);
  }
}

function fail({ status, json }: { status: number; json: Json }): never {
  console.error(`${status} ${json.error?.code ?? ''}: ${json.error?.message ?? JSON.stringify(json)}`);
  process.exit(1);
}

async function login(base: string, username: string, password: string, totp?: string): Promise<{ status: number; json: Json }> {
  return call(`${base}/auth/login`, { username, password, ...(totp ? { totp_code: totp } : {}) });
}

/** An access token: given, from given credentials, or from the CLI's own dev account. */
async function accessToken(base: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.PUPERO_ACCESS_TOKEN) return env.PUPERO_ACCESS_TOKEN;
  if (env.PUPERO_USERNAME || env.PUPERO_PASSWORD) {
    if (!env.PUPERO_USERNAME || !env.PUPERO_PASSWORD) usage('set both PUPERO_USERNAME and PUPERO_PASSWORD');
    const res = await login(base, env.PUPERO_USERNAME, env.PUPERO_PASSWORD, env.PUPERO_TOTP_CODE);
    if (res.status !== 200) fail(res);
    return res.json.access_token as string;
  }
  const file = join(env.DATA_DIR ?? './data', 'faucet-cli-account.json');
  let account: { username: string; password: string } | undefined;
  try {
    account = JSON.parse(readFileSync(file, 'utf8')) as { username: string; password: string };
  } catch {
    /* none yet */
  }
  if (account) {
    const res = await login(base, account.username, account.password);
    if (res.status === 200) return res.json.access_token as string;
    if (res.json.error?.code !== 'invalid_credentials') fail(res);
    // The database was reset since: register again.
  }
  account = { username: `faucet-cli-${randomBytes(4).toString('hex')}`, password: randomBytes(18).toString('base64url') };
  const registered = await call(`${base}/auth/register`, account);
  if (registered.status !== 201) fail(registered);
  mkdirSync(env.DATA_DIR ?? './data', { recursive: true });
  writeFileSync(file, JSON.stringify(account), { mode: 0o600 });
  const res = await login(base, account.username, account.password);
  if (res.status !== 200) fail(res);
  return res.json.access_token as string;
}

const [first, second, ...rest] = process.argv.slice(2);
if (!first || !second || rest.length) usage();
const base = gatewayUrl(process.env);
if (first === '--mine') {
  const blocks = Number(second);
  if (!Number.isInteger(blocks) || blocks < 1) usage('blocks must be a whole number of at least 1');
  const res = await call(`${base}/dev/mine`, { blocks }, await accessToken(base, process.env));
  if (res.status !== 200) fail(res);
  console.log(`mined ${blocks} block(s); chain height ${res.json.height as number}`);
} else {
  try {
    parseXmr(second);
  } catch {
    usage(`"${second}" is not an XMR amount like 10 or 0.5`);
  }
  const token = await accessToken(base, process.env);
  let res = await call(`${base}/dev/faucet`, { address: first, amount: second }, token);
  // 503: the faucet was still mining the funds it needs and sent nothing; the blocks it mined stay, so asking again works.
  for (let attempt = 1; res.status === 503 && attempt < 5; attempt++) {
    console.error('the faucet is still mining the funds it needs (nothing was sent); asking again in 5 s');
    await new Promise((r) => setTimeout(r, 5000));
    res = await call(`${base}/dev/faucet`, { address: first, amount: second }, token);
  }
  if (res.status !== 200) fail(res);
  console.log(
    `sent ${second} XMR to ${first}\ntxid ${res.json.txid as string} (a block including it is being mined; deposits are credited after the configured confirmations)`,
  );
}
