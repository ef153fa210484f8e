import { z } from 'zod';
import { badRequest, notFound, type App } from '@pupero/http';
import { formatXmr, parseXmr, xmrAmountString } from '@pupero/money';
import type { WalletContext } from '../context.js';
import type { DevTools } from '../chain/runtime.js';
import { addressProblem, looksLikeAddress } from '../withdrawals/domain.js';

/**
 * Local dev chain helpers: only on regtest (404 elsewhere), and only when Pupero runs the chain
 * itself (MONERO_MODE=managed), since they need the faucet wallet and the right to mine.
 */
export function registerDevRoutes(app: App, ctx: WalletContext): void {
  const devTools = (): DevTools => {
    if (ctx.config.network !== 'regtest') throw notFound('not_found', 'The dev chain helpers exist only on the local regtest chain.');
    const dev = ctx.chain().dev;
    if (!dev) throw notFound('not_found', 'The dev chain helpers need MONERO_MODE=managed (Pupero runs the regtest chain and its faucet).');
    return dev;
  };

  // Off the dev chain these routes do not exist (404), whatever the body: check before validation.
  const onlyOnDevChain = async () => void devTools();

  app.post(
    '/dev/faucet',
    {
      preValidation: onlyOnDevChain,
      schema: {
        tags: ['dev'],
        summary: 'Regtest only: send test XMR from the faucet wallet to an address (mines the block it needs)',
        body: z.strictObject({ address: z.string().min(1).max(200), amount: xmrAmountString }),
        response: { 200: z.object({ txid: z.string(), amount: z.string() }) },
      },
    },
    async (request) => {
      const dev = devTools();
      const amount = parseXmr(request.body.amount);
      if (amount > ctx.config.faucetMax) throw badRequest('amount_too_large', `The faucet gives at most ${formatXmr(ctx.config.faucetMax)} XMR per call.`);
      const address = request.body.address.trim();
      if (!looksLikeAddress(address)) throw badRequest('invalid_address', 'This is not a Monero address (95 or 106 base58 characters).');
      const check = await ctx.chain().wallet.checkAddress(address);
      const problem = addressProblem({ ...check, ownSubaddressIndex: undefined, integrated: false }, 'regtest');
      if (problem) throw badRequest('invalid_address', problem);
      const txid = await dev.faucet(address, amount);
      ctx.kick();
      return { txid, amount: formatXmr(amount) };
    },
  );

  app.post(
    '/dev/mine',
    {
      preValidation: onlyOnDevChain,
      schema: {
        tags: ['dev'],
        summary: 'Regtest only: mine blocks now (to the faucet wallet)',
        body: z.strictObject({ blocks: z.number().int().min(1).max(1000) }),
        response: { 200: z.object({ height: z.number().int() }) },
      },
    },
    async (request) => {
      const height = await devTools().mine(request.body.blocks);
      ctx.kick();
      return { height };
    },
  );
}
