import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWalletConfig } from '../config.js';
import { assertMoneroInstalled, ChainNetworkMismatchError, connectExternalChain } from './runtime.js';

describe('managed mode start-up checks', () => {
  const saved = process.env.MONEROD_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.MONEROD_PATH;
    else process.env.MONEROD_PATH = saved;
  });

  it('says exactly how to install monero, and what still works without it', () => {
    process.env.MONEROD_PATH = '/nonexistent/monerod';
    expect(() => assertMoneroInstalled()).toThrow(
      /MONERO_MODE=managed needs the monero binaries.*apt-get install monero.*MONERO_MODE=disabled/s,
    );
  });
});

describe('external mode network check', () => {
  // A fake monerod + wallet-rpc on one port: the boundary is faked, the check under test is real.
  const fakeChain = async (daemonNettype: string, walletNettype: string) => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: string; method: string };
        const result: Record<string, unknown> =
          method === 'get_info'
            ? { nettype: daemonNettype, height: 10, target_height: 10, synchronized: true, status: 'OK' }
            : method === 'get_address'
              ? { address: '4'.padEnd(95, 'A'), addresses: [] }
              : method === 'validate_address'
                ? { valid: true, nettype: walletNettype, integrated: false, subaddress: false }
                : {};
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ jsonrpc: '2.0', id, result }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadWalletConfig({ MONERO_MODE: 'external', MONERO_DAEMON_URL: url, MONERO_WALLET_RPC_URL: url }, 'development');
    return { config, close: () => new Promise((resolve) => server.close(resolve)) };
  };

  it.each([
    ['the daemon', 'mainnet', 'mainnet', /MONERO_DAEMON_URL points at a mainnet daemon, but MONERO_NETWORK=regtest/],
    ['the hot wallet', 'fakechain', 'testnet', /hot wallet at MONERO_WALLET_RPC_URL is a testnet wallet, but MONERO_NETWORK=regtest/],
  ])('refuses %s on another network with a ChainNetworkMismatchError', async (_who, daemon, wallet, message) => {
    const chain = await fakeChain(daemon, wallet);
    try {
      const error = await connectExternalChain(chain.config, pino({ level: 'silent' })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChainNetworkMismatchError);
      expect((error as Error).message).toMatch(message);
    } finally {
      await chain.close();
    }
  });
});
