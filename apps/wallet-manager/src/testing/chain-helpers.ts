import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { ensureWallet, startWalletRpc, type DevChain, type WalletRpc, type WalletRpcHandle } from '@pupero/monero';
import type { TestStack, TestUser } from '@pupero/stack/testing';

/** Polls `read` until `done` holds (or fails with the last value seen). */
export async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  let last: T | undefined;
  while (Date.now() - t0 < timeoutMs) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
  );
}

/** Turns 2FA on for a user through the public API; returns a code generator and the recovery codes. */
export async function enableTwoFactor(stack: TestStack, user: TestUser): Promise<{ totp: () => string; recoveryCodes: string[] }> {
  const setup = await stack.request('POST', '/auth/2fa/setup', undefined, { token: user.token });
  if (setup.status !== 200) throw new Error(`2fa setup failed: ${setup.status} ${JSON.stringify(setup.body)}`);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.body.secret), algorithm: 'SHA1', digits: 6, period: 30 });
  const enable = await stack.request('POST', '/auth/2fa/enable', { code: totp.generate() }, { token: user.token });
  if (enable.status !== 200) throw new Error(`2fa enable failed: ${enable.status} ${JSON.stringify(enable.body)}`);
  return { totp: () => totp.generate(), recoveryCodes: enable.body.recovery_codes };
}

export const balanceOf = async (stack: TestStack, user: TestUser) =>
  (await stack.request('GET', '/balance', undefined, { token: user.token })).body as {
    available: string;
    held: string;
    pending_deposits: string;
  };

/** A second wallet-rpc on the chain, playing an outside user's wallet. */
export async function startOutsideWallet(
  chain: DevChain,
  name = 'outside',
): Promise<{ handle: WalletRpcHandle; wallet: WalletRpc; address: string }> {
  const handle = await startWalletRpc({
    daemon: chain.monerod,
    walletDir: join(chain.dataDir, 'wallets'),
    logDir: join(chain.dataDir, 'logs'),
    name,
  });
  const { address } = await ensureWallet(handle.rpc, name);
  await handle.rpc.refresh();
  return { handle, wallet: handle.rpc, address };
}
