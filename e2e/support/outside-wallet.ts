/**
 * A wallet outside Pupero on the same regtest chain (its own monero-wallet-rpc process), for
 * withdrawals to land in: the wallet manager's managed DevChain starts it, the test checks with
 * it that the money really arrived.
 */
import type { DevChain, WalletRpc, WalletTransfer } from '@pupero/monero';
import type { TestStack } from '@pupero/stack/testing';

export interface OutsideWallet {
  address: string;
  wallet: WalletRpc;
  /** Waits until the wallet sees an incoming transfer in `txid` (pool or chain). */
  waitForIncoming(txid: string, timeoutMs: number): Promise<WalletTransfer>;
  stop(): Promise<void>;
}

export async function startOutsideWallet(stack: TestStack): Promise<OutsideWallet> {
  const service = stack.running.services.find((s) => s.name === 'wallet-manager') as { devChain?: () => DevChain | undefined } | undefined;
  const chain = service?.devChain?.();
  if (!chain) throw new Error('the wallet manager is not running a managed regtest chain (MONERO_MODE=managed)');
  const { handle, wallet, address } = await chain.startWallet(`outside-${Date.now().toString(36)}`);
  return {
    address,
    wallet,
    async waitForIncoming(txid, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await wallet.refresh();
        const transfers = await wallet.getTransfers({ in: true, pool: true });
        const found = [...transfers.in, ...transfers.pool].find((t) => t.txid === txid);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`the outside wallet did not receive ${txid} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    stop: () => handle.stop(),
  };
}
