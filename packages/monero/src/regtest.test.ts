/**
 * Process-level behaviour with the real binaries: missing binary, early exit, digest login,
 * ensureWallet, clean stop. No chain is needed (wallet-rpc points at a closed port).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoneroBinaryNotFoundError, MoneroProcessError, MoneroRpcError } from './errors.js';
import { freePort } from '@pupero/ports';
import { findBinary, isProcessAlive } from './process.js';
import { ensureWallet, startMonerod, startWalletRpc, type WalletRpcHandle } from './regtest.js';
import { WalletRpc } from './wallet.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pupero-monero-test-'));
  dirs.push(d);
  return d;
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('binaries', () => {
  it('finds the installed binaries', () => {
    expect(findBinary('monerod')).toMatch(/monerod$/);
    expect(findBinary('monero-wallet-rpc')).toMatch(/monero-wallet-rpc$/);
  });

  it('says how to install a missing binary', () => {
    expect(() => findBinary('monerod', { PATH: '', MONEROD_PATH: '/nonexistent/monerod' })).toThrow(MoneroBinaryNotFoundError);
    expect(() => findBinary('monerod', { PATH: '', MONEROD_PATH: '/nonexistent/monerod' })).toThrow(
      'monerod (MONEROD_PATH=/nonexistent/monerod is not an executable file) not found: install the Debian package `monero` (sudo apt-get install monero) or set MONEROD_PATH',
    );
  });
});

describe('processes', () => {
  it('surfaces an early monerod exit with the tail of its output', async () => {
    const err = await startMonerod({ dataDir: tmp(), extraArgs: ['--no-such-flag'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MoneroProcessError);
    expect((err as Error).message).toMatch(/^monerod at http:\/\/127\.0\.0\.1:\d+ exited before it was ready \(code \d+/);
    expect((err as Error).message).toContain('no-such-flag');
  });

  it('children die with their parent, even when the parent is SIGKILLed', async () => {
    const processTs = fileURLToPath(new URL('./process.ts', import.meta.url));
    const code = `
      import { spawnManaged } from ${JSON.stringify(processTs)};
      const p = await spawnManaged({ label: 'sleep', binary: '/bin/sleep', args: ['300'], outputFile: ${JSON.stringify(join(tmp(), 'out.log'))} });
      console.log(p.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
    expect(isProcessAlive(pid)).toBe(true);
    parent.kill('SIGKILL');
    const t0 = Date.now();
    while (isProcessAlive(pid) && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
    const alive = isProcessAlive(pid);
    if (alive) process.kill(pid, 'SIGKILL');
    expect(alive).toBe(false);
  });

  describe('wallet-rpc with an rpc login', () => {
    let h: WalletRpcHandle;
    beforeAll(async () => {
      const dir = tmp();
      h = await startWalletRpc({
        daemon: `http://127.0.0.1:${await freePort()}`, // nothing there: --offline
        walletDir: join(dir, 'wallets'),
        logDir: join(dir, 'logs'),
        name: 'auth',
        login: { username: 'pupero', password: 's3cret' },
        extraArgs: ['--offline'],
      });
    }, 120_000);
    afterAll(async () => {
      await h?.stop();
    });

    it('speaks digest auth (sequential and concurrent calls) and rejects a wrong login with 401', async () => {
      expect(h.readyMs).toBeLessThan(30_000);
      // Digest sessions are per TCP connection on the server: many sequential and concurrent
      // calls must all get through.
      for (let i = 0; i < 15; i++) expect((await h.rpc.getVersion()).version).toBeGreaterThan(0);
      const parallel = await Promise.all(Array.from({ length: 12 }, () => h.rpc.getVersion()));
      expect(parallel.every((v) => v.version > 0)).toBe(true);

      const wrong = new WalletRpc({ url: h.url, login: { username: 'pupero', password: 'nope' } });
      await expect(wrong.getVersion()).rejects.toMatchObject({ kind: 'http', httpStatus: 401 });
      const none = new WalletRpc({ url: h.url });
      await expect(none.getVersion()).rejects.toThrow(/HTTP 401 \(wrong or missing rpc login\)/);
    });

    // Every open/create generates an RSA key inside wallet-rpc: ~1-4 s each, more under load.
    it('ensureWallet creates, then opens, and explains a wrong password', async () => {
      const first = await ensureWallet(h.rpc, 'alice', 'pw');
      expect(first.created).toBe(true);
      expect(first.address).toMatch(/^4[0-9A-Za-z]{94}$/); // mainnet-format primary address on regtest
      const second = await ensureWallet(h.rpc, 'alice', 'pw');
      expect(second).toEqual({ created: false, address: first.address });
      const bad = await ensureWallet(h.rpc, 'alice', 'not-the-password').catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(MoneroRpcError);
      expect((bad as Error).message).toMatch(/wallet "alice" exists but could not be opened \(wrong password\?/);
    }, 120_000);

    it('stops cleanly: the process is gone and the client says so', async () => {
      const pid = h.pid;
      await h.stop();
      expect(isProcessAlive(pid)).toBe(false);
      expect(h.isRunning()).toBe(false);
      const gone = await h.rpc.getVersion().catch((e: unknown) => e);
      expect((gone as Error).message).toBe(`wallet-rpc at ${h.url} is not reachable: is it running? (ECONNREFUSED) (after 3 attempts)`);
    });
  });
});
