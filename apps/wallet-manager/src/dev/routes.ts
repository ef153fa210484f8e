import { z } from 'zod';
import { currentUser } from '@pupero/auth';
import { type App, dependencyUnavailable, TAGS, tooManyRequests } from '@pupero/http';
import { MoneroRpcError } from '@pupero/monero';
import { formatXmr, parseXmr, xmrAmountString } from '@pupero/money';
import type { FastifyRequest } from 'fastify';
import type { WalletContext } from '../context.js';
import type { DevTools } from '../chain/runtime.js';
import { addressProblem, looksLikeAddress } from '../withdrawals/domain.js';
import { RequestDeadline } from '../shared/deadline.js';
import { PerMinuteLimit } from './rate-limit.js';
import { authed, badRequest, errorSchema, notFound } from '../shared/errors.js';

/**
 * Mining takes about a second per block on a busy machine and waits for the auto-miner's block:
 * more than the wallet calls' budget, still below the gateway's upstream timeout (30 s).
 */
const DEV_MINE_BUDGET_MS = 25_000;

/**
 * Local dev chain helpers: only on regtest (404 elsewhere), and only when Pupero runs the chain
 * itself (MONERO_MODE=managed), since they need the faucet wallet and the right to mine. Even
 * there they need a logged-in user and are rate-limited per user: mining and the faucet wallet
 * are shared by everyone on the chain.
 */
export function registerDevRoutes(app: App, ctx: WalletContext): void {
  const devTools = (): DevTools => {
    if (ctx.config.network !== 'regtest') throw notFound('not_found', 'The dev chain helpers exist only on the local regtest chain.');
    const dev = ctx.chain().dev;
    if (!dev) throw notFound('not_found', 'The dev chain helpers need MONERO_MODE=managed (Pupero runs the regtest chain and its faucet).');
    return dev;
  };

  // Off the dev chain these routes do not exist (404), whatever the body or token: checked first,
  // then the login, both in the auth phase (before the body is read).
  const onlyOnDevChain = async () => void devTools();
  const guards = [onlyOnDevChain, ctx.guards.user];

  const limit = new PerMinuteLimit(ctx.config.devCallsPerMinute);
  const countCall = (request: FastifyRequest) => {
    const wait = limit.take(currentUser(request).id);
    if (wait > 0)
      throw tooManyRequests(
        `The dev chain helpers take ${ctx.config.devCallsPerMinute} calls per minute per user; try again in ${wait} s.`,
        wait,
      );
  };

  app.post(
    '/dev/faucet',
    authed(guards, {
      tags: [TAGS.dev],
      summary: 'Regtest only: send test XMR from the faucet wallet to an address (mines the block it needs)',
      description:
        'Needs a logged-in user. Errors: 400 amount_too_large, 400 invalid_address, 401 authentication_required, 429 rate_limited with Retry-After (DEV_CALLS_PER_MINUTE calls of /dev/* per user and minute); 404 off the regtest chain.',
      body: z.strictObject({ address: z.string().min(1).max(200), amount: xmrAmountString }),
      response: {
        200: z.object({ txid: z.string(), amount: z.string() }),
        400: errorSchema,
        404: errorSchema,
        429: errorSchema,
      },
    }),
    async (request) => {
      const dev = devTools();
      const amount = parseXmr(request.body.amount);
      if (amount > ctx.config.faucetMax)
        throw badRequest('amount_too_large', `The faucet gives at most ${formatXmr(ctx.config.faucetMax)} XMR per call.`);
      const address = request.body.address.trim();
      if (!looksLikeAddress(address)) throw badRequest('invalid_address', 'This is not a Monero address (95 or 106 base58 characters).');
      countCall(request);
      const check = await ctx.deadline().step('wallet', ctx.chain().requestWallet.checkAddress(address));
      const problem = addressProblem({ ...check, ownSubaddressIndex: undefined, integrated: false }, 'regtest');
      if (problem) throw badRequest('invalid_address', problem);
      const txid = await dev.faucet(address, amount);
      ctx.kick();
      return { txid, amount: formatXmr(amount) };
    },
  );

  app.post(
    '/dev/mine',
    authed(guards, {
      tags: [TAGS.dev],
      summary: 'Regtest only: mine blocks now (to the faucet wallet)',
      description: `Needs a logged-in user. Errors: 400 too_many_blocks (more than DEV_MINE_MAX_BLOCKS, ${ctx.config.mineMaxBlocks} here, per call), 401 authentication_required, 429 rate_limited with Retry-After; 503 dependency_unavailable (daemon) with Retry-After when monerod does not mine in time; 404 off the regtest chain.`,
      body: z.strictObject({ blocks: z.number().int().min(1).max(1_000_000) }),
      response: {
        200: z.object({ height: z.number().int() }),
        400: errorSchema,
        404: errorSchema,
        429: errorSchema,
        503: errorSchema,
      },
    }),
    async (request) => {
      const max = ctx.config.mineMaxBlocks;
      if (request.body.blocks > max) {
        throw badRequest('too_many_blocks', `At most ${max} blocks per call; call again for more.`, { max_blocks: max });
      }
      countCall(request);
      // Mining is serialised with the auto-miner (DevChain's queue); a daemon that refuses or does
      // not answer in time is a 503 the caller may retry, never a 500.
      const height = await new RequestDeadline(DEV_MINE_BUDGET_MS)
        .step('daemon', devTools().mine(request.body.blocks))
        .catch((error: unknown) => {
          if (error instanceof MoneroRpcError && error.service === 'monerod') throw dependencyUnavailable('daemon');
          throw error;
        });
      ctx.kick();
      return { height };
    },
  );
}
