import { ensureWallet, FaucetBusyError, FUNDING_BLOCKS, mineTo, UNLOCK_BLOCKS, type DaemonRpc, type WalletRpc } from '@pupero/monero';
import type { DevTools } from './runtime.js';

/** Kept above a faucet amount for the transfer fee. */
const FEE_MARGIN = 100_000_000_000n; // 0.1 XMR

/**
 * The dev helpers on an external regtest chain (MONERO_MODE=external, MONERO_NETWORK=regtest with
 * MONERO_FAUCET_WALLET_RPC_URL): blocks are mined to a faucet wallet on its own wallet-rpc, which
 * pays faucet requests. The faucet must not be the hot wallet: a wallet's transfer to its own
 * subaddress is not listed as incoming, so such deposits would never be seen.
 */
export async function externalDevTools(daemon: DaemonRpc, faucet: WalletRpc, walletName: string): Promise<DevTools> {
  const { address } = await ensureWallet(faucet, walletName, '');
  const mine = (blocks: number) => mineTo(daemon, address, blocks, { chunk: 20 });
  // Fund the faucet before the wallet manager reports ready: the first faucet request would
  // otherwise mine ~80 blocks and outlast the gateway's request timeout on a busy machine.
  // A chain someone else runs (the compose `regtest` profile) may start empty: fund the faucet as the
  // managed dev chain does (FUNDING_BLOCKS: enough unlocked outputs for a transfer's decoys).
  if ((await daemon.getHeight()) < FUNDING_BLOCKS) await mine(FUNDING_BLOCKS);
  await faucet.refresh(); // the first scan of the funding blocks, done now rather than in a request
  let queue: Promise<unknown> = Promise.resolve();
  const payOnce = async (to: string, amount: bigint, payBy: number): Promise<string> => {
    await faucet.refresh();
    for (let mined = 0; (await faucet.getBalance()).unlocked_balance < amount + FEE_MARGIN; mined += UNLOCK_BLOCKS) {
      if (mined >= 600) throw new Error(`the faucet cannot fund ${amount} piconero even after mining ${mined} blocks`);
      if (Date.now() >= payBy) throw new FaucetBusyError();
      await mine(UNLOCK_BLOCKS);
      await faucet.refresh();
    }
    if (Date.now() >= payBy) throw new FaucetBusyError(); // nothing sent past the caller's budget
    const tx = await faucet.transfer({ destinations: [{ address: to, amount }], priority: 0 });
    void mine(1).catch(() => undefined); // confirmed shortly; the answer does not wait for the block
    return tx.tx_hash;
  };
  return {
    mine,
    // One transfer at a time: two would pick the same outputs.
    faucet: (to, amount, payBy) => {
      const run = queue.then(() => payOnce(to, amount, payBy));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
