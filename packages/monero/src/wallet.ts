/**
 * Typed client for monero-wallet-rpc. Parameter and result field names are the RPC's own
 * (snake_case), so the Monero RPC docs apply 1:1; method names are camelCase.
 */
import { RpcClient, type CallOptions, type RpcClientOptions } from './transport.js';
import type {
  AddressResult,
  BalanceResult,
  CreateAddressResult,
  GetTransfersParams,
  GetTransfersResult,
  IncomingTransfer,
  SubaddressIndex,
  TransferParams,
  TransferResult,
  TransferType,
  ValidateAddressResult,
  WalletTransfer,
} from './wallet-types.js';

export class WalletRpc extends RpcClient {
  constructor(opts: RpcClientOptions | string) {
    super('wallet-rpc', opts);
  }

  private get slow(): number {
    return this.transport.slowTimeoutMs;
  }

  private call<T>(method: string, params?: object, opts?: CallOptions): Promise<T> {
    return this.transport.jsonRpc<T>(method, params, opts);
  }

  async getVersion(): Promise<{ version: number; release: boolean }> {
    return this.call('get_version', undefined, { idempotent: true });
  }

  /** Creates and opens a new wallet in --wallet-dir. Fails with WALLET_ALREADY_EXISTS (-21)… */
  async createWallet(p: { filename: string; password?: string; language?: string }): Promise<void> {
    await this.call(
      'create_wallet',
      { filename: p.filename, password: p.password ?? '', language: p.language ?? 'English' },
      { timeoutMs: this.slow },
    );
  }

  /** Opens a wallet from --wallet-dir (closing the one open before). Takes ~1–2 s. */
  async openWallet(p: { filename: string; password?: string }): Promise<void> {
    await this.call('open_wallet', { filename: p.filename, password: p.password ?? '' }, { timeoutMs: this.slow });
  }

  /** Stores and closes the open wallet (the process keeps running). */
  async closeWallet(): Promise<void> {
    await this.call('close_wallet', {}, { timeoutMs: this.slow });
  }

  async getAddress(p: { account_index?: number; address_index?: number[] } = {}): Promise<AddressResult> {
    const r = await this.call<Partial<AddressResult> & { address: string }>(
      'get_address',
      { account_index: p.account_index ?? 0, ...(p.address_index ? { address_index: p.address_index } : {}) },
      { idempotent: true },
    );
    return { address: r.address, addresses: r.addresses ?? [] };
  }

  /** Which subaddress is this address? Throws if it is not one of this wallet's. */
  async getAddressIndex(address: string): Promise<SubaddressIndex> {
    const r = await this.call<{ index: SubaddressIndex }>('get_address_index', { address }, { idempotent: true });
    return r.index;
  }

  /** Creates a new subaddress (not idempotent: each call makes another one). */
  async createAddress(p: { account_index?: number; label?: string; count?: number } = {}): Promise<CreateAddressResult> {
    const r = await this.call<Partial<CreateAddressResult> & { address: string; address_index: number }>('create_address', {
      account_index: p.account_index ?? 0,
      label: p.label ?? '',
      ...(p.count ? { count: p.count } : {}),
    });
    return {
      address: r.address,
      address_index: r.address_index,
      addresses: r.addresses ?? [r.address],
      address_indices: r.address_indices ?? [r.address_index],
    };
  }

  async labelAddress(index: SubaddressIndex, label: string): Promise<void> {
    await this.call('label_address', { index, label }, { idempotent: true });
  }

  async getBalance(p: { account_index?: number; address_indices?: number[]; all_accounts?: boolean } = {}): Promise<BalanceResult> {
    const r = await this.call<Partial<BalanceResult> & { balance: bigint; unlocked_balance: bigint }>(
      'get_balance',
      { account_index: p.account_index ?? 0, ...p },
      { idempotent: true },
    );
    return {
      balance: r.balance,
      unlocked_balance: r.unlocked_balance,
      multisig_import_needed: r.multisig_import_needed ?? false,
      blocks_to_unlock: r.blocks_to_unlock ?? 0,
      time_to_unlock: r.time_to_unlock ?? 0,
      per_subaddress: r.per_subaddress ?? [],
    };
  }

  /** Wallet height (blocks scanned). */
  async getHeight(): Promise<number> {
    const r = await this.call<{ height: number }>('get_height', undefined, { idempotent: true });
    return r.height;
  }

  /**
   * Points the wallet at a daemon again (set_daemon), which drops its old connection at once:
   * after a daemon restart a wallet-rpc otherwise keeps failing with "no connection to daemon"
   * until its own reconnection attempt comes round (~12 s seen).
   */
  async setDaemon(p: { address: string; trusted?: boolean; ssl?: { key: string; cert: string } }): Promise<void> {
    await this.call('set_daemon', {
      address: p.address,
      trusted: p.trusted ?? true,
      ...(p.ssl
        ? { ssl_support: 'autodetect', ssl_private_key_path: p.ssl.key, ssl_certificate_path: p.ssl.cert }
        : { ssl_support: 'disabled' }),
    });
  }

  /** Scans new blocks now (do not rely on auto-refresh or --tx-notify). */
  async refresh(p: { start_height?: number } = {}): Promise<{ blocks_fetched: number; received_money: boolean }> {
    return this.call('refresh', p, { idempotent: true, timeoutMs: this.slow });
  }

  async getTransfers(p: GetTransfersParams): Promise<GetTransfersResult> {
    const params: GetTransfersParams = { ...p };
    if (params.min_height !== undefined || params.max_height !== undefined) params.filter_by_height ??= true;
    const r = await this.call<Partial<GetTransfersResult>>('get_transfers', params, { idempotent: true });
    const norm = (xs: Partial<WalletTransfer>[] | undefined) => (xs ?? []).map(normaliseTransfer);
    return { in: norm(r.in), out: norm(r.out), pending: norm(r.pending), failed: norm(r.failed), pool: norm(r.pool) };
  }

  /** One transfer by txid (the first entry); all entries (e.g. several subaddresses) in `transfers`. */
  async getTransferByTxid(
    txid: string,
    p: { account_index?: number } = {},
  ): Promise<{ transfer: WalletTransfer; transfers: WalletTransfer[] }> {
    const r = await this.call<{ transfer: Partial<WalletTransfer>; transfers?: Partial<WalletTransfer>[] }>(
      'get_transfer_by_txid',
      { txid, ...p },
      { idempotent: true },
    );
    const transfer = normaliseTransfer(r.transfer);
    return { transfer, transfers: (r.transfers ?? [r.transfer]).map(normaliseTransfer) };
  }

  /** Individual received outputs (also lists outputs a wallet sends to its own subaddresses). */
  async incomingTransfers(
    p: {
      transfer_type?: 'all' | 'available' | 'unavailable';
      account_index?: number;
      subaddr_indices?: number[];
    } = {},
  ): Promise<IncomingTransfer[]> {
    const r = await this.call<{ transfers?: IncomingTransfer[] }>(
      'incoming_transfers',
      { transfer_type: p.transfer_type ?? 'all', account_index: p.account_index ?? 0, ...p },
      { idempotent: true },
    );
    return r.transfers ?? [];
  }

  /**
   * Builds, signs and (unless do_not_relay) broadcasts a transaction. Never retried: after a
   * timeout (`maybeExecuted`) reconcile by looking at get_transfers before trying again.
   */
  async transfer(p: TransferParams): Promise<TransferResult> {
    for (const d of p.destinations) {
      if (typeof d.amount !== 'bigint' || d.amount <= 0n || d.amount >= 2n ** 64n) {
        throw new TypeError(`transfer amount must be a positive bigint of piconero, got ${String(d.amount)}`);
      }
    }
    const r = await this.call<Partial<TransferResult> & { tx_hash: string }>('transfer', p, { timeoutMs: this.slow });
    return {
      ...r,
      tx_hash: r.tx_hash,
      tx_key: r.tx_key ?? '',
      amount: r.amount ?? 0n,
      fee: r.fee ?? 0n,
      weight: r.weight ?? 0,
      tx_blob: r.tx_blob ?? '',
      tx_metadata: r.tx_metadata ?? '',
    };
  }

  /** Broadcasts a transaction signed with do_not_relay. Relaying the same metadata again returns the same hash. */
  async relayTx(txMetadata: string): Promise<{ tx_hash: string }> {
    return this.call('relay_tx', { hex: txMetadata }, { timeoutMs: this.slow });
  }

  async validateAddress(address: string, p: { any_net_type?: boolean; allow_openalias?: boolean } = {}): Promise<ValidateAddressResult> {
    const r = await this.call<Partial<ValidateAddressResult>>(
      'validate_address',
      { address, any_net_type: p.any_net_type ?? false, allow_openalias: p.allow_openalias ?? false },
      { idempotent: true },
    );
    return {
      valid: r.valid ?? false,
      integrated: r.integrated ?? false,
      subaddress: r.subaddress ?? false,
      nettype: r.nettype ?? '',
      openalias_address: r.openalias_address ?? '',
    };
  }

  /** Builds an integrated address (primary address + 8-byte payment id). */
  async makeIntegratedAddress(
    p: { standard_address?: string; payment_id?: string } = {},
  ): Promise<{ integrated_address: string; payment_id: string }> {
    return this.call('make_integrated_address', p, { idempotent: true });
  }

  /** Excludes an output (by key image) from coin selection, e.g. while a signed tx awaits relay. */
  async freeze(keyImage: string): Promise<void> {
    await this.call('freeze', { key_image: keyImage }, { idempotent: true });
  }

  async thaw(keyImage: string): Promise<void> {
    await this.call('thaw', { key_image: keyImage }, { idempotent: true });
  }

  /** Writes the wallet cache to disk. */
  async store(): Promise<void> {
    await this.call('store', undefined, { idempotent: true, timeoutMs: this.slow });
  }

  /** Stores the open wallet and makes the process exit. Errors with NOT_OPEN (-13) when no wallet is open. */
  async stopWallet(): Promise<void> {
    await this.call('stop_wallet', undefined, { timeoutMs: this.slow });
  }
}

function normaliseTransfer(t: Partial<WalletTransfer>): WalletTransfer {
  return {
    ...t,
    txid: String(t.txid),
    type: t.type as TransferType,
    amount: t.amount ?? 0n,
    amounts: t.amounts ?? (t.amount !== undefined ? [t.amount] : []),
    fee: t.fee ?? 0n,
    height: t.height ?? 0,
    timestamp: t.timestamp ?? 0,
    confirmations: t.confirmations ?? 0,
    suggested_confirmations_threshold: t.suggested_confirmations_threshold ?? 0,
    locked: t.locked ?? false,
    unlock_time: t.unlock_time ?? 0,
    double_spend_seen: t.double_spend_seen ?? false,
    subaddr_index: t.subaddr_index ?? { major: 0, minor: 0 },
    subaddr_indices: t.subaddr_indices ?? (t.subaddr_index ? [t.subaddr_index] : []),
    address: t.address ?? '',
    payment_id: t.payment_id ?? '',
    note: t.note ?? '',
  };
}
