/** Parameter and result types of monero-wallet-rpc calls (the RPC's own snake_case names). */

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
