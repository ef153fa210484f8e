import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { waitFor } from '../testing/chain-helpers.js';

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

  it('supervises its node and wallet-rpc as the regtest chain: a killed one is restarted on its port and the API answers again', async () => {
    const admin = await stack.grantRole(await stack.newUser('testnetadmin'), 'admin');
    const status = async () => (await stack.request('GET', '/admin/wallet/status', undefined, { token: admin.token })).body;
    const measured: Record<string, number> = {};
    for (const name of ['hot-wallet-rpc', 'monerod'] as const) {
      const before = (await status()).chain_processes[name];
      expect(before).toMatchObject({ up: true, restarts: 0 });
      const t0 = Date.now();
      process.kill(before.pid, 'SIGKILL');
      const after = await waitFor(
        `${name} restarted`,
        async () => (await status()).chain_processes[name],
        (p) => p.up && p.restarts === 1,
        120_000,
      );
      expect(after.pid).not.toBe(before.pid);
      const fresh = await stack.newUser('testnetafter');
      await waitFor(
        'a deposit address after the restart',
        async () => (await stack.request('GET', '/wallet/deposit-address', undefined, { token: fresh.token })).status,
        (s) => s === 200,
        60_000,
      );
      measured[name] = Date.now() - t0;
    }
    console.info(
      `FAULT_RECOVERY ${JSON.stringify({ test: 'managed testnet node: SIGKILL -> first deposit address', recovery_ms: measured })}`,
    );
    const metrics = await (await fetch(`${stack.common.urls.walletManager}/metrics`)).text();
    expect(metrics).toMatch(/pupero_chain_process_restarts_total\{[^}]*process="monerod"[^}]*\} 1\b/);
  }, 300_000);
});
