/**
 * Dev chain faucet: sends regtest XMR to an address through the running stack's gateway.
 *
 *   npm run faucet -- <address> <amount>        e.g. npm run faucet -- 4AfU... 10
 *   npm run faucet -- --mine <blocks>           mine blocks now
 *
 * The gateway is GATEWAY_PUBLIC_URL, else http://127.0.0.1:$GATEWAY_PORT (8000).
 */
import { parseXmr } from '@pupero/money';

function gatewayUrl(env: NodeJS.ProcessEnv): string {
  if (env.GATEWAY_PUBLIC_URL) return env.GATEWAY_PUBLIC_URL.replace(/\/+$/, '');
  return `http://127.0.0.1:${env.GATEWAY_PORT ?? '8000'}`;
}

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: npm run faucet -- <address> <amount in XMR>\n       npm run faucet -- --mine <blocks>');
  process.exit(2);
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (error) {
    console.error(`cannot reach the Pupero gateway at ${url}: is the stack running (npm start)? (${(error as Error).message})`);
    process.exit(1);
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown> & { error?: { code: string; message: string } };
  if (!res.ok) {
    console.error(`${res.status} ${json.error?.code ?? ''}: ${json.error?.message ?? JSON.stringify(json)}`);
    process.exit(1);
  }
  return json;
}

const [first, second, ...rest] = process.argv.slice(2);
if (!first || !second || rest.length) usage();
const base = gatewayUrl(process.env);
if (first === '--mine') {
  const blocks = Number(second);
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > 1000) usage('blocks must be a whole number from 1 to 1000');
  const { height } = await post(`${base}/dev/mine`, { blocks });
  console.log(`mined ${blocks} block(s); chain height ${height}`);
} else {
  try {
    parseXmr(second);
  } catch {
    usage(`"${second}" is not an XMR amount like 10 or 0.5`);
  }
  const { txid } = await post(`${base}/dev/faucet`, { address: first, amount: second });
  console.log(`sent ${second} XMR to ${first}\ntxid ${txid} (mined into a block; deposits are credited after the configured confirmations)`);
}
