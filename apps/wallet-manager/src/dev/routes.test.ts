import { beforeEach, describe, expect, it } from 'vitest';
import { authGuards, InvalidTokenError, type AuthUser } from '@pupero/auth';
import { commonConfigSchema, loadConfig, resolveCommonConfig } from '@pupero/config';
import type { Db } from '@pupero/db';
import { createHttpApp, type App } from '@pupero/http';
import { FaucetBusyError } from '@pupero/monero';
import { createWalletManagerService } from '../index.js';
import { loadWalletConfig } from '../config.js';
import type { WalletContext } from '../context.js';
import type { ChainRuntime } from '../chain/runtime.js';
import { RequestDeadline } from '../shared/deadline.js';
import { silentLogger, useWalletTestDb } from '../testing/fixtures.js';
import { DEV_FAUCET_PAY_BY_MS, registerDevRoutes } from './routes.js';

/** The dev helpers exist only on regtest: 404 on any other network (before any login), 503 while Monero is disabled. */
describe('dev chain helpers outside a managed regtest chain', () => {
  let db: Db;
  useWalletTestDb((d) => (db = d));

  const serviceOn = (env: Record<string, string>) =>
    createWalletManagerService({
      common: resolveCommonConfig(loadConfig(commonConfigSchema, { NODE_ENV: 'test' }), 'x'.repeat(32)),
      db,
      logger: silentLogger,
      env: { NODE_ENV: 'test', ...env },
    });

  it('answers 404 not_found on testnet, stagenet and mainnet', async () => {
    for (const network of ['testnet', 'stagenet', 'mainnet']) {
      const service = await serviceOn({ MONERO_MODE: 'disabled', MONERO_NETWORK: network });
      // Bodies valid or not: off the dev chain the routes do not exist.
      const cases = [
        ['/dev/mine', { blocks: 1 }],
        ['/dev/faucet', { address: 'x', amount: '1' }],
        ['/dev/mine', {}],
        ['/dev/faucet', { nope: true }],
      ] as const;
      for (const [url, payload] of cases) {
        const res = await service.app.inject({ method: 'POST', url, payload });
        expect(res.statusCode, `${network} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
      await service.app.close();
    }
  });

  it('answers 503 wallet_unavailable on regtest while Monero is disabled', async () => {
    const service = await serviceOn({ MONERO_MODE: 'disabled' });
    const res = await service.app.inject({ method: 'POST', url: '/dev/mine', payload: { blocks: 1 } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('wallet_unavailable');
    await service.app.close();
  });
});

/**
 * On the dev chain, with the chain faked at its boundary (the real one is in wallet.chain.test.ts):
 * a logged-in user, a bounded number of blocks per call, a per-user budget of calls.
 */
describe('dev chain helpers on the dev chain', () => {
  let app: App;
  let mined: number[];
  let paid: string[];
  const ADDRESS = `4${'A'.repeat(94)}`;
  // Tokens are "token-<user id>"; anything else is an invalid token (the real verifier is tested in @pupero/auth).
  const verifier = {
    async verify(token: string): Promise<AuthUser> {
      if (!token.startsWith('token-')) throw new InvalidTokenError('bad');
      return { id: token.slice(6), username: token.slice(6), roles: ['user'], sessionId: 's' };
    },
  };

  let budgets: number[];
  let faucetBusy: boolean;

  beforeEach(async () => {
    mined = [];
    paid = [];
    budgets = [];
    faucetBusy = false;
    const chain = {
      requestWallet: { checkAddress: async () => ({ valid: true, integrated: false, subaddress: false, network: 'mainnet' }) },
      dev: {
        mine: async (blocks: number) => (mined.push(blocks), 100 + mined.reduce((a, b) => a + b, 0)),
        faucet: async (address: string, _amount: bigint, payBy: number) => {
          budgets.push(payBy - Date.now());
          if (faucetBusy) throw new FaucetBusyError();
          return (paid.push(address), 'ab'.repeat(32));
        },
      },
    } as unknown as ChainRuntime;
    const config = loadWalletConfig({ MONERO_MODE: 'disabled', DEV_MINE_MAX_BLOCKS: '20', DEV_CALLS_PER_MINUTE: '3' }, 'test');
    const ctx = {
      config,
      guards: authGuards(verifier),
      chain: () => chain,
      deadline: () => new RequestDeadline(5000),
      kick: () => {},
    } as unknown as WalletContext;
    ({ app } = await createHttpApp({ name: 'wallet-manager', logger: silentLogger }));
    registerDevRoutes(app, ctx);
    await app.ready();
  });

  const post = (url: string, payload: unknown, token?: string) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('needs a logged-in user: 401 authentication_required (or invalid_token) before the body is even looked at', async () => {
    for (const [url, payload] of [
      ['/dev/mine', { blocks: 1 }],
      ['/dev/faucet', { address: ADDRESS, amount: '1' }],
      ['/dev/mine', { nope: 1 }],
    ] as const) {
      const anonymous = await post(url, payload);
      expect([anonymous.statusCode, anonymous.json().error.code], url).toEqual([401, 'authentication_required']);
      const forged = await post(url, payload, 'forged');
      expect([forged.statusCode, forged.json().error.code], url).toEqual([401, 'invalid_token']);
    }
    expect(mined).toEqual([]);
    expect(paid).toEqual([]);
    const ok = await post('/dev/mine', { blocks: 2 }, 'token-alice');
    expect([ok.statusCode, ok.json()]).toEqual([200, { height: 102 }]);
    const sent = await post('/dev/faucet', { address: ADDRESS, amount: '1.5' }, 'token-alice');
    expect([sent.statusCode, sent.json()]).toEqual([200, { txid: 'ab'.repeat(32), amount: '1.5' }]);
    expect(paid).toEqual([ADDRESS]);
  });

  it('gives the faucet a time to start its transfer well inside the gateway timeout; past it: 503 naming the daemon, nothing sent', async () => {
    expect((await post('/dev/faucet', { address: ADDRESS, amount: '1' }, 'token-erin')).statusCode).toBe(200);
    faucetBusy = true;
    const busy = await post('/dev/faucet', { address: ADDRESS, amount: '1' }, 'token-erin');
    expect([busy.statusCode, busy.json().error.code, busy.json().error.details]).toEqual([
      503,
      'dependency_unavailable',
      { dependency: 'daemon' },
    ]);
    expect(busy.headers['retry-after']).toBe('5');
    expect(paid).toEqual([ADDRESS]);
    // The gateway gives up after GATEWAY_UPSTREAM_TIMEOUT_MS (30 s by default): the transfer must
    // start with at least 10 s to spare for itself and the answer.
    expect(DEV_FAUCET_PAY_BY_MS).toBeLessThanOrEqual(20_000);
    for (const budget of budgets) expect(budget).toBeGreaterThan(DEV_FAUCET_PAY_BY_MS - 1000);
    for (const budget of budgets) expect(budget).toBeLessThanOrEqual(DEV_FAUCET_PAY_BY_MS);
  });

  it('mines at most DEV_MINE_MAX_BLOCKS per call: more is 400 too_many_blocks, nothing mined', async () => {
    expect((await post('/dev/mine', { blocks: 20 }, 'token-bob')).statusCode).toBe(200);
    const tooMany = await post('/dev/mine', { blocks: 21 }, 'token-bob');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error).toMatchObject({
      code: 'too_many_blocks',
      message: expect.stringMatching(/At most 20 blocks/),
      details: { max_blocks: 20 },
    });
    expect((await post('/dev/mine', { blocks: 1_000_000 }, 'token-bob')).json().error.code).toBe('too_many_blocks');
    expect(mined).toEqual([20]);
  });

  it('limits calls per user: 429 rate_limited with Retry-After once the budget is spent, other users unaffected', async () => {
    expect((await post('/dev/mine', { blocks: 1 }, 'token-carol')).statusCode).toBe(200);
    expect((await post('/dev/faucet', { address: ADDRESS, amount: '1' }, 'token-carol')).statusCode).toBe(200);
    expect((await post('/dev/mine', { blocks: 1 }, 'token-carol')).statusCode).toBe(200);
    for (const [url, payload] of [
      ['/dev/mine', { blocks: 1 }],
      ['/dev/faucet', { address: ADDRESS, amount: '1' }],
    ] as const) {
      const refused = await post(url, payload, 'token-carol');
      expect(refused.statusCode, url).toBe(429);
      expect(refused.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/3 calls per minute per user/) });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    expect(mined).toEqual([1, 1]);
    expect(paid).toHaveLength(1);
    expect((await post('/dev/mine', { blocks: 1 }, 'token-dave')).statusCode).toBe(200);
  });
});
