/**
 * The narrow view of the hot wallet (and its daemon) that the wallet manager's domain needs.
 * The real implementation talks to monero-wallet-rpc + monerod (rpc-hot-wallet.ts); unit tests
 * use an in-memory chain (fake-hot-wallet.ts). Amounts are bigint piconero.
 */

export type AddressNetwork = 'mainnet' | 'testnet' | 'stagenet';

/** An incoming payment to one of the wallet's subaddresses (account 0), as the wallet sees it. */
export interface IncomingPayment {
  txid: string;
  subaddressIndex: number;
  /** Total received by this subaddress in this transaction. */
  amount: bigint;
  /** Block height, or null while the transaction is in the pool. */
  height: number | null;
  /** Non-zero = the sender locked the outputs (never credited automatically). */
  unlockTime: bigint;
  doubleSpendSeen: boolean;
}

export interface Destination {
  address: string;
  amount: bigint;
}

/** A transaction signed with do_not_relay: nothing is on the network until relay(metadata). */
export interface SignedTransaction {
  txHash: string;
  txMetadata: string;
  /** Network fee paid by the wallet. */
  fee: bigint;
  amount: bigint;
  keyImages: string[];
  /** The raw signed transaction (hex), kept with the metadata so it can be pushed to a daemon directly. */
  txBlob?: string;
}

export type TxState =
  | { state: 'unknown' }
  /** `relayed: false`: the daemon holds it but never passed it on (e.g. after its own restart); undefined = not reported. */
  | { state: 'pool'; doubleSpendSeen: boolean; relayed?: boolean }
  | { state: 'mined'; height: number; confirmations: number };

export type KeyImageState = 'unspent' | 'pool' | 'chain';

export interface AddressCheck {
  valid: boolean;
  integrated: boolean;
  subaddress: boolean;
  network?: AddressNetwork;
  /** Set when the address belongs to this very wallet (a withdrawal to it would be a self-transfer). */
  ownSubaddressIndex?: number;
}

export interface WalletBalance {
  /** Everything the wallet owns, locked or not (includes change of its unconfirmed transactions). */
  balance: bigint;
  unlocked: bigint;
}

/**
 * Why a transfer could not be built. `maybe_later` failures leave the withdrawal queued;
 * `permanent` ones fail it (the hold is released); `batch` ones are retried one by one.
 */
export type TransferFailureKind = 'insufficient_unlocked' | 'insufficient_funds' | 'invalid_destination' | 'not_possible' | 'unavailable';

export class TransferFailure extends Error {
  constructor(
    readonly kind: TransferFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransferFailure';
  }
}

/** The wallet-rpc or daemon could not be reached or did not answer in time. */
export class ChainUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChainUnavailableError';
  }
}

export interface HotWallet {
  /** Scans new blocks (and the pool) now; returns the wallet's height (= chain height). */
  sync(): Promise<number>;
  createSubaddress(label: string): Promise<{ index: number; address: string }>;
  /** Incoming payments to subaddresses of account 0 mined at height >= minHeight, plus the pool. */
  incoming(minHeight: number): Promise<IncomingPayment[]>;
  /** Builds and signs one transaction paying every destination; never relays it. */
  sign(destinations: Destination[]): Promise<SignedTransaction>;
  /** Broadcasts a signed transaction; relaying the same metadata again is harmless (same hash). */
  relay(txMetadata: string): Promise<string>;
  /** Asks the daemon to relay transactions it holds in its pool but never relayed (monerod relay_tx). */
  relayPooled(txHashes: string[]): Promise<void>;
  /**
   * Reads the daemon's height, then makes the wallet scan up to it: after a restart the wallet may
   * not know yet which of its outputs are spent. Returns both heights (synced when wallet >= daemon).
   */
  refreshToDaemon(): Promise<{ wallet: number; daemon: number }>;
  /** Where the daemon sees these transactions (chain, pool or nowhere). */
  txStates(txHashes: string[]): Promise<Map<string, TxState>>;
  keyImageStates(keyImages: string[]): Promise<KeyImageState[]>;
  /**
   * Makes a stored, never-mined transaction invalid for ever: spends the first of its inputs (by
   * key image) in a new transaction to the wallet's own primary address, relayed at once, and
   * returns that replacement's hash. Costs one network fee of the platform's money.
   */
  replaceInputs(keyImages: string[]): Promise<string>;
  checkAddress(address: string): Promise<AddressCheck>;
  balance(): Promise<WalletBalance>;
  /** The daemon's fee per byte for normal priority (atomic units). */
  feePerByte(): Promise<bigint>;
}
