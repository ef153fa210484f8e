import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonConfigSchema, loadConfig, resolveCommonConfig } from '@pupero/config';
import type { Db } from '@pupero/db';
import { createWalletManagerService } from '../index.js';
import { silentLogger, walletTestDb } from '../testing/fixtures.js';

/** The dev helpers exist only on regtest: 404 on any other network, 503 while Monero is disabled. */
describe('dev chain helpers outside a managed regtest chain', () => {
  let db: Db;
  beforeAll(async () => {
    db = await walletTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

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
      const cases = [['/dev/mine', { blocks: 1 }], ['/dev/faucet', { address: 'x', amount: '1' }], ['/dev/mine', {}], ['/dev/faucet', { nope: true }]] as const;
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
