import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';

/**
 * MONERO_MODE=managed with MONERO_NETWORK=testnet: the wallet manager runs a real testnet node and
 * the hot wallet's wallet-rpc itself. The node starts syncing (in a sandbox it may find no peer at
 * all); the API reports the sync and deposits get testnet addresses meanwhile.
 */
describe('wallet manager running a managed testnet node', () => {
  let stack: TestStack;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startTestStack({
      services: ['login', 'transactions', 'wallet-manager'],
      env: { MONERO_MODE: 'managed', MONERO_NETWORK: 'testnet' },
    });
    user = await stack.newUser('testnetuser');
  }, 240_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('reports the node sync and why money waits, gives testnet deposit addresses, and has no dev faucet', async () => {
    const sync = await stack.request('GET', '/wallet/sync');
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ network: 'testnet', synchronized: false });
    expect(sync.body.height).toBeGreaterThanOrEqual(1);
    expect(sync.body.message).toMatch(/^The Monero testnet node is (looking for peers|syncing)/);
    const deposits = await stack.request('GET', '/wallet/deposits', undefined, { token: user.token });
    expect(deposits.body.sync_message).toBe(sync.body.message);

    const address = await stack.request('GET', '/wallet/deposit-address', undefined, { token: user.token });
    expect(address.status).toBe(200);
    expect(address.body.network).toBe('testnet');
    // Testnet subaddresses start with B (mainnet/regtest ones with 8).
    expect(address.body.address).toMatch(/^B/);

    const faucet = await stack.request('POST', '/dev/faucet', { address: address.body.address, amount: '1' }, { token: user.token });
    expect(faucet.status).toBe(404);
  }, 60_000);
});
