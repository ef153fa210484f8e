/**
 * Small typed JSON-RPC clients for monerod and monero-wallet-rpc over fetch.
 *
 * - Amounts are `bigint` atomic units (piconero) in requests and results (see json.ts).
 * - Per-call timeout (AbortSignal.timeout); retries only for idempotent read calls,
 *   never for transfer / relay_tx / generateblocks / create_*.
 * - Failures are `MoneroRpcError` with a human message, the RPC code and message.
 * - Parameter and result field names are the RPC's own (snake_case), so the Monero RPC docs
 *   apply 1:1; method names are camelCase.
 */
import { causeCode, MoneroRpcError, type MoneroService } from './errors.js';
import { digestAuthorization, parseDigestChallenge, type DigestChallenge } from './digest.js';
import { parseRpcJson, stringifyRpcJson } from './json.js';

// ---------------------------------------------------------------------------------------------
// Transport

export interface RpcLogin {
  username: string;
  password: string;
}

export interface RpcClientOptions {
  /** Base URL, e.g. http://127.0.0.1:18083 (no path). */
  url: string;
  /** HTTP digest login (`--rpc-login user:password` on the server). */
  login?: RpcLogin;
  /** Default per-call timeout in ms (30 s). */
  timeoutMs?: number;
  /** Timeout for slow calls: transfer, relay_tx, create/open/close_wallet, refresh, store (120 s). */
  slowTimeoutMs?: number;
  /** Extra attempts for idempotent calls on transport failures / 5xx / BUSY (default 2). */
  retries?: number;
  /** First retry delay in ms, doubled each time (default 200). */
  retryDelayMs?: number;
  /** Injected fetch (tests). Defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

export interface CallOptions {
  /** Overrides the timeout for this call (ms). */
  timeoutMs?: number;
  /** Allows retries. Only set for calls that are safe to repeat. */
  idempotent?: boolean;
  /** Do not turn a monerod `status` other than OK into an error (the caller inspects it). */
  acceptAnyStatus?: boolean;
}

const TRANSPORT_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Digest challenges answered per request before giving up (see send()). */
const MAX_AUTH_ROUNDS = 6;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RpcTransport {
  readonly url: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly timeoutMs: number;
  /** See RpcClientOptions.slowTimeoutMs. */
  readonly slowTimeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly login: RpcLogin | undefined;
  private challenge: DigestChallenge | undefined;
  private nonceCount = 0;
  private authQueue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(
    readonly service: MoneroService,
    opts: RpcClientOptions,
  ) {
    this.url = opts.url.replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.slowTimeoutMs = opts.slowTimeoutMs ?? 120_000;
    this.retries = opts.retries ?? 2;
    this.retryDelayMs = opts.retryDelayMs ?? 200;
    this.login = opts.login;
  }

  /** Calls a JSON-RPC method on /json_rpc and returns `result`. */
  async jsonRpc<T>(method: string, params?: object, opts: CallOptions = {}): Promise<T> {
    const body: Record<string, unknown> = { jsonrpc: '2.0', id: String(this.nextId++), method };
    if (params !== undefined) body.params = params;
    const parsed = await this.request(method, '/json_rpc', stringifyRpcJson(body), opts, (json) => {
      const obj = json as { error?: { code?: unknown; message?: unknown }; result?: unknown };
      if (obj && typeof obj === 'object' && obj.error) {
        return {
          error: {
            code: typeof obj.error.code === 'number' ? obj.error.code : undefined,
            message: typeof obj.error.message === 'string' ? obj.error.message : 'unknown error',
          },
        };
      }
      if (!obj || typeof obj !== 'object' || !('result' in obj)) {
        return { protocol: 'no "result" in the JSON-RPC answer' };
      }
      return { value: obj.result };
    });
    return parsed as T;
  }

  /** Calls one of monerod's plain JSON endpoints (/get_height, /get_transactions, ...). */
  async other<T>(path: string, params: object = {}, opts: CallOptions = {}): Promise<T> {
    const method = path.replace(/^\//, '');
    return (await this.request(method, path, stringifyRpcJson(params), opts, (json) => {
      if (!json || typeof json !== 'object') return { protocol: 'answer is not a JSON object' };
      return { value: json };
    })) as T;
  }

  private async request(
    method: string,
    path: string,
    body: string,
    opts: CallOptions,
    unwrap: (json: unknown) => {
      value?: unknown;
      error?: { code: number | undefined; message: string };
      protocol?: string;
    },
  ): Promise<unknown> {
    const maxAttempts = opts.idempotent ? 1 + this.retries : 1;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    let lastErr: MoneroRpcError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(this.retryDelayMs * 2 ** (attempt - 2));
      try {
        const res = await this.send(method, path, body, timeoutMs, attempt);
        let json: unknown;
        try {
          json = parseRpcJson(res.text);
        } catch {
          throw this.error({ kind: 'protocol', method, rpcMessage: `not JSON: ${res.text.slice(0, 120)}`, attempts: attempt });
        }
        const out = unwrap(json);
        if (out.protocol) throw this.error({ kind: 'protocol', method, rpcMessage: out.protocol, attempts: attempt });
        if (out.error) {
          throw this.error({ kind: 'rpc', method, code: out.error.code, rpcMessage: out.error.message, attempts: attempt });
        }
        // monerod reports many failures as `status` != "OK" in an otherwise successful answer.
        const status = (out.value as { status?: unknown } | null)?.status;
        if (this.service === 'monerod' && !opts.acceptAnyStatus && typeof status === 'string' && status !== 'OK') {
          const err = this.error({ kind: 'rpc', method, rpcMessage: status, attempts: attempt });
          if (status === 'BUSY' && attempt < maxAttempts) {
            lastErr = err;
            continue;
          }
          throw err;
        }
        return out.value;
      } catch (e) {
        if (!(e instanceof MoneroRpcError)) throw e;
        const retriable = e.kind === 'unreachable' || e.kind === 'timeout' || (e.kind === 'http' && (e.httpStatus ?? 0) >= 500);
        if (!retriable || attempt >= maxAttempts) throw e;
        lastErr = e;
      }
    }
    throw lastErr ?? new Error('unreachable');
  }

  /**
   * With a digest login, requests are sent one at a time: monerod/wallet-rpc keep the digest
   * session (nonce + an exact request counter) per TCP connection, so all requests must go over
   * one kept-alive connection in order. (wallet-rpc handles one request at a time anyway.)
   */
  private send(method: string, path: string, body: string, timeoutMs: number, attempts: number): Promise<{ status: number; text: string }> {
    if (!this.login) return this.sendOnce(method, path, body, timeoutMs, attempts);
    const run = this.authQueue.then(() => this.sendOnce(method, path, body, timeoutMs, attempts));
    this.authQueue = run.catch(() => undefined);
    return run;
  }

  private async sendOnce(
    method: string,
    path: string,
    body: string,
    timeoutMs: number,
    attempts: number,
  ): Promise<{ status: number; text: string }> {
    for (let authRound = 0; ; authRound++) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.login && this.challenge) {
        headers.authorization = digestAuthorization(
          this.challenge,
          this.login.username,
          this.login.password,
          'POST',
          path,
          ++this.nonceCount,
        );
      }
      let res: Response;
      let text: string;
      try {
        res = await this.fetchImpl(this.url + path, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        throw this.transportError(method, e, attempts);
      }
      // fetch marks the connection free a tick after the body is read; without this yield the
      // next request would open a second connection (= a second digest session).
      if (this.login) await new Promise((r) => setTimeout(r, 0));
      // A request that lands on a connection with another digest session (e.g. a new one after
      // the server closed the old) gets a 401 with a fresh nonce (stale=true). A 401 means the
      // call was not executed, so answering the new challenge and resending is always safe.
      if (res.status === 401 && this.login && authRound < MAX_AUTH_ROUNDS) {
        const ch = parseDigestChallenge(res.headers.get('www-authenticate'));
        // Not stale after we answered = wrong username/password: stop here.
        if (ch && (authRound === 0 || ch.stale || !headers.authorization)) {
          this.challenge = ch;
          this.nonceCount = 0;
          continue;
        }
      }
      if (res.status < 200 || res.status >= 300) {
        throw this.error({ kind: 'http', method, httpStatus: res.status, attempts });
      }
      return { status: res.status, text };
    }
  }

  private transportError(method: string, e: unknown, attempts: number): MoneroRpcError {
    const name = (e as { name?: unknown })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return this.error({ kind: 'timeout', method, attempts, maybeExecuted: true, cause: e });
    }
    const code = causeCode(e);
    const refused = code !== undefined && TRANSPORT_UNREACHABLE.has(code);
    return this.error({ kind: 'unreachable', method, attempts, maybeExecuted: !refused, cause: e });
  }

  private error(init: {
    kind: MoneroRpcError['kind'];
    method: string;
    code?: number;
    rpcMessage?: string;
    httpStatus?: number;
    attempts?: number;
    maybeExecuted?: boolean;
    cause?: unknown;
  }): MoneroRpcError {
    return new MoneroRpcError({ service: this.service, url: this.url, ...init });
  }
}

// ---------------------------------------------------------------------------------------------
// monerod

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

export class DaemonRpc {
  readonly transport: RpcTransport;
  constructor(opts: RpcClientOptions | string) {
    this.transport = new RpcTransport('monerod', typeof opts === 'string' ? { url: opts } : opts);
  }
  get url(): string {
    return this.transport.url;
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

// ---------------------------------------------------------------------------------------------
// monero-wallet-rpc

export interface SubaddressIndex {
  major: number;
  minor: number;
}

export interface BalanceResult {
  balance: bigint;
  unlocked_balance: bigint;
  multisig_import_needed: boolean;
  blocks_to_unlock: number;
  time_to_unlock: number;
  per_subaddress: Array<{
    account_index: number;
    address_index: number;
    address: string;
    balance: bigint;
    unlocked_balance: bigint;
    label: string;
    num_unspent_outputs: number;
    blocks_to_unlock: number;
    time_to_unlock: number;
  }>;
}

export interface AddressResult {
  /** Primary address of the account. */
  address: string;
  addresses: Array<{ address: string; label: string; address_index: number; used: boolean }>;
}

export interface CreateAddressResult {
  address: string;
  address_index: number;
  addresses: string[];
  address_indices: number[];
}

export type TransferType = 'in' | 'out' | 'pending' | 'failed' | 'pool' | 'block';

export interface WalletTransfer {
  txid: string;
  type: TransferType;
  /** Total for this entry, piconero. For `in`: what this subaddress received in the tx. */
  amount: bigint;
  /** The individual output amounts. */
  amounts: bigint[];
  fee: bigint;
  /** Block height; 0 while in the pool. */
  height: number;
  timestamp: number;
  confirmations: number;
  suggested_confirmations_threshold: number;
  locked: boolean;
  unlock_time: number;
  double_spend_seen: boolean;
  /** For `in`: the receiving subaddress. */
  subaddr_index: SubaddressIndex;
  subaddr_indices: SubaddressIndex[];
  address: string;
  payment_id: string;
  note: string;
  destinations?: Array<{ address: string; amount: bigint }>;
  [key: string]: unknown;
}

export interface GetTransfersParams {
  in?: boolean;
  out?: boolean;
  pending?: boolean;
  failed?: boolean;
  pool?: boolean;
  filter_by_height?: boolean;
  min_height?: number;
  max_height?: number;
  account_index?: number;
  subaddr_indices?: number[];
  all_accounts?: boolean;
}

export interface GetTransfersResult {
  in: WalletTransfer[];
  out: WalletTransfer[];
  pending: WalletTransfer[];
  failed: WalletTransfer[];
  pool: WalletTransfer[];
}

export interface IncomingTransfer {
  amount: bigint;
  block_height: number;
  frozen: boolean;
  global_index: number;
  key_image: string;
  pubkey: string;
  spent: boolean;
  subaddr_index: SubaddressIndex;
  tx_hash: string;
  unlocked: boolean;
}

export interface Destination {
  address: string;
  amount: bigint;
}

export interface TransferParams {
  destinations: Destination[];
  account_index?: number;
  subaddr_indices?: number[];
  /** 0 default, 1 unimportant, 2 normal, 3 elevated, 4 priority. */
  priority?: 0 | 1 | 2 | 3 | 4;
  ring_size?: number;
  unlock_time?: number;
  get_tx_key?: boolean;
  /** Sign but do not broadcast; relay later with relayTx(tx_metadata). */
  do_not_relay?: boolean;
  get_tx_hex?: boolean;
  get_tx_metadata?: boolean;
}

export interface TransferResult {
  tx_hash: string;
  tx_key: string;
  amount: bigint;
  fee: bigint;
  weight: number;
  /** Raw tx hex when get_tx_hex. */
  tx_blob: string;
  /** Signed tx metadata when get_tx_metadata: pass it to relayTx. */
  tx_metadata: string;
  spent_key_images?: { key_images: string[] };
  [key: string]: unknown;
}

export interface ValidateAddressResult {
  valid: boolean;
  integrated: boolean;
  subaddress: boolean;
  /** "mainnet" | "testnet" | "stagenet" (regtest addresses are mainnet-format). */
  nettype: string;
  openalias_address: string;
}

export class WalletRpc {
  readonly transport: RpcTransport;
  constructor(opts: RpcClientOptions | string) {
    this.transport = new RpcTransport('wallet-rpc', typeof opts === 'string' ? { url: opts } : opts);
  }
  get url(): string {
    return this.transport.url;
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
