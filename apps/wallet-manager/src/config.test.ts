import { describe, expect, it } from 'vitest';
import { ConfigError } from '@pupero/config';
import { loadWalletConfig } from './config.js';

describe('wallet manager config', () => {
  it('defaults to a managed regtest chain with 10 confirmations and an automatic fee', () => {
    const c = loadWalletConfig({}, 'development');
    expect(c).toMatchObject({
      mode: 'managed',
      network: 'regtest',
      depositConfirmations: 10,
      withdrawalConfirmations: 10,
      withdrawalFee: 'auto',
      autoMineMs: 5000,
    });
    expect(loadWalletConfig({ WITHDRAWAL_FEE: '0.0001' }, 'development').withdrawalFee).toBe(100_000_000n);
  });

  it('refuses mainnet without the explicit opt-in', () => {
    const env = {
      MONERO_MODE: 'external',
      MONERO_NETWORK: 'mainnet',
      MONERO_DAEMON_URL: 'http://127.0.0.1:18081',
      MONERO_WALLET_RPC_URL: 'http://127.0.0.1:18083',
    };
    expect(() => loadWalletConfig(env, 'production')).toThrow(/MONERO_ALLOW_MAINNET=true/);
    expect(loadWalletConfig({ ...env, MONERO_ALLOW_MAINNET: 'true' }, 'production').network).toBe('mainnet');
  });

  it('names every problem: managed off regtest, external without URLs, half a login, a bad fee', () => {
    try {
      loadWalletConfig({ MONERO_MODE: 'managed', MONERO_NETWORK: 'mainnet', MONERO_ALLOW_MAINNET: 'true' }, 'development');
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/MONERO_MODE=external/);
    }
    expect(() => loadWalletConfig({ MONERO_MODE: 'external', MONERO_WALLET_RPC_USERNAME: 'u' }, 'development')).toThrow(
      /MONERO_DAEMON_URL[\s\S]*MONERO_WALLET_RPC_URL[\s\S]*MONERO_WALLET_RPC_PASSWORD/,
    );
    expect(() => loadWalletConfig({ WITHDRAWAL_FEE: 'cheap' }, 'development')).toThrow(/WITHDRAWAL_FEE/);
  });

  it('runs a testnet or stagenet node in managed mode (the node syncs; no dev faucet)', () => {
    expect(loadWalletConfig({ MONERO_MODE: 'managed', MONERO_NETWORK: 'testnet' }, 'development')).toMatchObject({
      mode: 'managed',
      network: 'testnet',
    });
    expect(loadWalletConfig({ MONERO_MODE: 'managed', MONERO_NETWORK: 'stagenet' }, 'development')).toMatchObject({
      mode: 'managed',
      network: 'stagenet',
    });
  });

  it('a faucet wallet-rpc exists only on an external regtest chain', () => {
    expect(() => loadWalletConfig({ MONERO_MODE: 'managed', MONERO_FAUCET_WALLET_RPC_URL: 'http://f:1' }, 'development')).toThrow(
      /MONERO_FAUCET_WALLET_RPC_URL/,
    );
    const c = loadWalletConfig(
      {
        MONERO_MODE: 'external',
        MONERO_DAEMON_URL: 'http://d:1',
        MONERO_WALLET_RPC_URL: 'http://w:1',
        MONERO_FAUCET_WALLET_RPC_URL: 'http://f:1',
      },
      'development',
    );
    expect(c.faucetWalletRpcUrl).toBe('http://f:1');
  });

  it('honours fault injection only under NODE_ENV=test', () => {
    expect(loadWalletConfig({ PUPERO_CRASH_AFTER: 'signed' }, 'test').crashAfter).toBe('signed');
    expect(() => loadWalletConfig({ PUPERO_CRASH_AFTER: 'signed' }, 'production')).toThrow(/only honoured with NODE_ENV=test/);
  });
});
