import { MoneroRpcError, WalletErrorCode, type DaemonRpc, type WalletRpc } from '@pupero/monero';
import {
  ChainUnavailableError,
  TransferFailure,
  type AddressCheck,
  type AddressNetwork,
  type Destination,
  type HotWallet,
  type IncomingPayment,
  type KeyImageState,
  type SignedTransaction,
  type TxState,
  type TransferFailureKind,
} from './hot-wallet.js';

/** wallet-rpc 0.18 codes that @pupero/monero's WalletErrorCode does not list (yet). */
const NOT_ENOUGH_UNLOCKED_MONEY = -37;
const NO_DAEMON_CONNECTION = -38;

/** Maps a failed `transfer` to what the withdrawal worker should do about it. */
export function transferFailureKind(error: MoneroRpcError): TransferFailureKind {
  if (error.kind !== 'rpc') return 'unavailable';
  switch (error.code) {
    case NOT_ENOUGH_UNLOCKED_MONEY:
      return 'insufficient_unlocked';
    case WalletErrorCode.NOT_ENOUGH_MONEY:
      return 'insufficient_funds';
    case WalletErrorCode.WRONG_ADDRESS:
    case WalletErrorCode.ZERO_DESTINATION:
    case WalletErrorCode.WRONG_PAYMENT_ID:
      return 'invalid_destination';
    case WalletErrorCode.TX_NOT_POSSIBLE:
    case WalletErrorCode.TX_TOO_LARGE:
    case WalletErrorCode.NOT_ENOUGH_OUTS_TO_MIX:
      return 'not_possible';
    case WalletErrorCode.DAEMON_IS_BUSY:
    case WalletErrorCode.NOT_OPEN:
    case NO_DAEMON_CONNECTION:
      return 'unavailable';
    default:
      // GENERIC_TRANSFER_ERROR and friends are mostly daemon trouble ("failed to get outputs"):
      // the worker retries them and gives up after a number of attempts.
      return 'unavailable';
  }
}

const NETWORKS: ReadonlySet<string> = new Set(['mainnet', 'testnet', 'stagenet']);

/**
 * The hot wallet on a real monero-wallet-rpc, with monerod for transaction and key-image
 * look-ups. Transport failures become ChainUnavailableError so routes can answer 503.
 */
export class RpcHotWallet implements HotWallet {
  constructor(
    private readonly wallet: WalletRpc,
    private readonly daemon: DaemonRpc,
  ) {}

  async sync(): Promise<number> {
    return guard(async () => {
      await this.wallet.refresh();
      return this.wallet.getHeight();
    });
  }

  async createSubaddress(label: string): Promise<{ index: number; address: string }> {
    return guard(async () => {
      const created = await this.wallet.createAddress({ account_index: 0, label });
      // Persist at once: a wallet-rpc that dies before its next save would hand the same index out again.
      await this.wallet.store();
      return { index: created.address_index, address: created.address };
    });
  }

  async incoming(minHeight: number): Promise<IncomingPayment[]> {
    return guard(async () => {
      // get_transfers filters with height > min_height (exclusive).
      const filter = minHeight > 0 ? { min_height: minHeight - 1 } : {};
      const result = await this.wallet.getTransfers({ in: true, pool: true, account_index: 0, ...filter });
      return [...result.in, ...result.pool]
        .filter((t) => t.type === 'in' || t.type === 'pool')
        .filter((t) => t.subaddr_index.major === 0)
        .map((t) => ({
          txid: t.txid,
          subaddressIndex: t.subaddr_index.minor,
          amount: t.amount,
          height: t.type === 'pool' || t.height === 0 ? null : t.height,
          unlockTime: BigInt(t.unlock_time ?? 0),
          doubleSpendSeen: t.double_spend_seen === true,
        }));
    });
  }

  async sign(destinations: Destination[]): Promise<SignedTransaction> {
    try {
      const tx = await this.wallet.transfer({
        destinations,
        account_index: 0,
        priority: 0,
        do_not_relay: true,
        get_tx_metadata: true,
        get_tx_hex: true,
      });
      if (!tx.tx_metadata) throw new TransferFailure('not_possible', 'wallet-rpc returned no tx_metadata for a do_not_relay transfer');
      return {
        txHash: tx.tx_hash,
        txMetadata: tx.tx_metadata,
        fee: tx.fee,
        amount: tx.amount,
        keyImages: tx.spent_key_images?.key_images ?? [],
        ...(tx.tx_blob ? { txBlob: tx.tx_blob } : {}),
      };
    } catch (error) {
      // Not reached at all (or no answer): ChainUnavailableError, so the worker reconciles once it is back.
      if (isUnreachable(error)) throw new ChainUnavailableError(error.message, { cause: error });
      if (error instanceof MoneroRpcError) throw new TransferFailure(transferFailureKind(error), error.message);
      throw error;
    }
  }

  async relay(txMetadata: string): Promise<string> {
    // Transport trouble is ChainUnavailableError (not counted as the daemon refusing the transaction).
    return guard(async () => (await this.wallet.relayTx(txMetadata)).tx_hash);
  }

  async txStates(txHashes: string[]): Promise<Map<string, TxState>> {
    return guard(async () => {
      const states = new Map<string, TxState>();
      if (txHashes.length === 0) return states;
      const { txs, missed_tx } = await this.daemon.getTransactions(txHashes, { prune: true });
      for (const hash of missed_tx) states.set(hash, { state: 'unknown' });
      for (const tx of txs) {
        states.set(
          tx.tx_hash,
          tx.in_pool
            ? { state: 'pool', doubleSpendSeen: tx.double_spend_seen, ...(typeof tx.relayed === 'boolean' ? { relayed: tx.relayed } : {}) }
            : { state: 'mined', height: tx.block_height, confirmations: tx.confirmations },
        );
      }
      for (const hash of txHashes) if (!states.has(hash)) states.set(hash, { state: 'unknown' });
      return states;
    });
  }

  async relayPooled(txHashes: string[]): Promise<void> {
    if (txHashes.length === 0) return;
    // Daemon JSON-RPC relay_tx: passes pool transactions on (and makes them eligible for blocks again).
    await guard(async () => void (await this.daemon.transport.jsonRpc('relay_tx', { txids: txHashes })));
  }

  async refreshToDaemon(): Promise<{ wallet: number; daemon: number }> {
    return guard(async () => {
      const daemon = await this.daemon.getHeight(); // first: the wallet must reach at least this
      await this.wallet.refresh();
      return { wallet: await this.wallet.getHeight(), daemon };
    });
  }

  async keyImageStates(keyImages: string[]): Promise<KeyImageState[]> {
    if (keyImages.length === 0) return [];
    return guard(async () => {
      // Not (yet) in @pupero/monero's DaemonRpc: monerod's /is_key_image_spent (0 unspent, 1 chain, 2 pool).
      const r = await this.daemon.transport.other<{ spent_status?: number[] }>(
        '/is_key_image_spent',
        { key_images: keyImages },
        { idempotent: true },
      );
      const status = r.spent_status ?? [];
      if (status.length !== keyImages.length)
        throw new ChainUnavailableError('monerod answered is_key_image_spent with the wrong number of results');
      return status.map((s) => (s === 1 ? 'chain' : s === 2 ? 'pool' : 'unspent'));
    });
  }

  async replaceInputs(keyImages: string[]): Promise<string> {
    if (keyImages.length === 0) throw new Error('a transaction without inputs cannot be replaced');
    return guard(async () => {
      const { address } = await this.wallet.getAddress({ account_index: 0, address_index: [0] });
      // sweep_single spends exactly this output (whatever do_not_relay transactions also used it).
      const r = await this.wallet.transport.jsonRpc<{ tx_hash?: string; tx_hash_list?: string[] }>(
        'sweep_single',
        { address, key_image: keyImages[0], priority: 0, do_not_relay: false },
        { timeoutMs: this.wallet.transport.slowTimeoutMs },
      );
      const hash = r.tx_hash ?? r.tx_hash_list?.[0];
      if (!hash) throw new Error('wallet-rpc sweep_single returned no transaction hash');
      return hash;
    });
  }

  async checkAddress(address: string): Promise<AddressCheck> {
    return guard(async () => {
      const v = await this.wallet.validateAddress(address, { any_net_type: true, allow_openalias: false });
      const check: AddressCheck = {
        valid: v.valid,
        integrated: v.integrated,
        subaddress: v.subaddress,
        network: NETWORKS.has(v.nettype) ? (v.nettype as AddressNetwork) : undefined,
      };
      if (!v.valid || v.integrated) return check;
      try {
        const index = await this.wallet.getAddressIndex(address);
        check.ownSubaddressIndex = index.minor;
      } catch (error) {
        if (!(error instanceof MoneroRpcError && error.kind === 'rpc')) throw error;
        // "Address doesn't belong to the wallet": the normal case.
      }
      return check;
    });
  }

  async balance() {
    return guard(async () => {
      const b = await this.wallet.getBalance({ account_index: 0 });
      return { balance: b.balance, unlocked: b.unlocked_balance };
    });
  }

  async feePerByte(): Promise<bigint> {
    return guard(async () => (await this.daemon.getFeeEstimate()).fee);
  }
}

function isUnreachable(error: unknown): error is MoneroRpcError {
  return error instanceof MoneroRpcError && (error.kind === 'unreachable' || error.kind === 'timeout' || error.kind === 'http');
}

/** Runs an RPC call; "cannot reach it" errors become ChainUnavailableError. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUnreachable(error)) throw new ChainUnavailableError(error.message, { cause: error });
    throw error;
  }
}
