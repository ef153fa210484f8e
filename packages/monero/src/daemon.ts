/**
 * Typed client for monerod's RPC. Parameter and result field names are the RPC's own
 * (snake_case), so the Monero RPC docs apply 1:1; method names are camelCase.
 */
import { MoneroRpcError } from './errors.js';
import { RpcClient, type CallOptions, type RpcClientOptions } from './transport.js';

export interface DaemonInfo {
  height: number;
  target_height: number;
  /** "mainnet" | "testnet" | "stagenet" | "fakechain" (regtest). */
  nettype: string;
  top_block_hash: string;
  difficulty: number;
  tx_count: number;
  tx_pool_size: number;
  synchronized: boolean;
  offline: boolean;
  busy_syncing: boolean;
  version: string;
  status: string;
  untrusted: boolean;
  [key: string]: unknown;
}

export interface BlockHeader {
  hash: string;
  height: number;
  timestamp: number;
  reward: bigint;
  num_txes: number;
  orphan_status: boolean;
  depth: number;
  [key: string]: unknown;
}

export interface GenerateBlocksResult {
  /** Height of the last block mined (as monerod reports it): the chain height is height + 1. */
  height: number;
  blocks: string[];
}

export interface DaemonTransaction {
  tx_hash: string;
  in_pool: boolean;
  /** Height of the including block; 0 (or absent upstream) while in the pool. */
  block_height: number;
  block_timestamp: number;
  /** Computed here: daemon height - block_height (0 in pool). */
  confirmations: number;
  double_spend_seen: boolean;
  as_hex: string;
  as_json?: string;
  output_indices?: number[];
  [key: string]: unknown;
}

export interface GetTransactionsResult {
  txs: DaemonTransaction[];
  /** Hashes the daemon does not know (neither chain nor pool). */
  missed_tx: string[];
}

export interface SendRawTransactionResult {
  status: string;
  reason: string;
  not_relayed: boolean;
  double_spend: boolean;
  [key: string]: unknown;
}

export class DaemonRpc extends RpcClient {
  constructor(opts: RpcClientOptions | string) {
    super('monerod', opts);
  }

  getInfo(): Promise<DaemonInfo> {
    return this.transport.jsonRpc<DaemonInfo>('get_info', undefined, { idempotent: true });
  }

  /** Chain height = number of blocks (the next block's height). */
  async getHeight(): Promise<number> {
    const r = await this.transport.other<{ height: number }>('/get_height', {}, { idempotent: true });
    return r.height;
  }

  async getLastBlockHeader(): Promise<BlockHeader> {
    const r = await this.transport.jsonRpc<{ block_header: BlockHeader }>('get_last_block_header', {}, { idempotent: true });
    return r.block_header;
  }

  /**
   * Mines `amount_of_blocks` blocks to `wallet_address` (regtest / fixed difficulty only).
   * Cannot mine to a subaddress. Never retried (a retry would mine more blocks).
   */
  async generateBlocks(walletAddress: string, amountOfBlocks: number, opts: CallOptions = {}): Promise<GenerateBlocksResult> {
    const r = await this.transport.jsonRpc<{ height: number; blocks?: string[] }>(
      'generateblocks',
      { amount_of_blocks: amountOfBlocks, wallet_address: walletAddress, starting_nonce: 0 },
      { timeoutMs: opts.timeoutMs ?? 15_000 + amountOfBlocks * 1_000 },
    );
    return { height: r.height, blocks: r.blocks ?? [] };
  }

  /** Looks transactions up by hash (chain and pool); `confirmations` is computed here. */
  async getTransactions(hashes: string[], opts: { decode_as_json?: boolean; prune?: boolean } = {}): Promise<GetTransactionsResult> {
    if (hashes.length === 0) return { txs: [], missed_tx: [] };
    const [r, height] = await Promise.all([
      this.transport.other<{ txs?: Partial<DaemonTransaction>[]; missed_tx?: string[] }>(
        '/get_transactions',
        { txs_hashes: hashes, decode_as_json: opts.decode_as_json ?? false, prune: opts.prune ?? true },
        { idempotent: true },
      ),
      this.getHeight(),
    ]);
    const txs = (r.txs ?? []).map((t): DaemonTransaction => {
      const inPool = t.in_pool === true;
      const blockHeight = inPool ? 0 : Number(t.block_height ?? 0);
      return {
        ...t,
        tx_hash: String(t.tx_hash),
        in_pool: inPool,
        block_height: blockHeight,
        block_timestamp: Number(t.block_timestamp ?? 0),
        double_spend_seen: t.double_spend_seen === true,
        as_hex: String(t.as_hex ?? ''),
        confirmations: inPool ? 0 : Math.max(0, height - blockHeight),
      };
    });
    return { txs, missed_tx: r.missed_tx ?? [] };
  }

  async getTransactionPoolHashes(): Promise<string[]> {
    const r = await this.transport.other<{ tx_hashes?: string[] }>('/get_transaction_pool_hashes', {}, { idempotent: true });
    return r.tx_hashes ?? [];
  }

  /** Broadcasts a raw transaction. Never retried. Throws on status != OK with the daemon's reasons. */
  async sendRawTransaction(txAsHex: string, opts: { do_not_relay?: boolean } = {}): Promise<SendRawTransactionResult> {
    const r = await this.transport.other<SendRawTransactionResult>(
      '/send_raw_transaction',
      { tx_as_hex: txAsHex, do_not_relay: opts.do_not_relay ?? false },
      { acceptAnyStatus: true },
    );
    if (r.status !== 'OK') {
      const flags = Object.entries(r)
        .filter(([k, v]) => v === true && k !== 'untrusted' && k !== 'not_relayed')
        .map(([k]) => k);
      throw new MoneroRpcError({
        kind: 'rpc',
        service: 'monerod',
        url: this.url,
        method: 'send_raw_transaction',
        rpcMessage: [r.status, r.reason, flags.join(', ')].filter(Boolean).join(': '),
      });
    }
    return r;
  }

  async getFeeEstimate(): Promise<{ fee: bigint; quantization_mask: number; fees?: bigint[] }> {
    return this.transport.jsonRpc('get_fee_estimate', {}, { idempotent: true });
  }

  /** Asks monerod to exit cleanly. */
  async stopDaemon(): Promise<void> {
    await this.transport.other('/stop_daemon', {});
  }
}
