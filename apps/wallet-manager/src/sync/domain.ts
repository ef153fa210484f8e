import type { MoneroNetwork } from '../config.js';

/** What monerod's get_info says about its sync (the fields this needs). */
export interface DaemonSyncInfo {
  height: number;
  target_height: number;
  synchronized: boolean;
  incoming_connections_count?: number;
  outgoing_connections_count?: number;
}

export interface SyncStatus {
  network: MoneroNetwork;
  synchronized: boolean;
  /** Blocks the node has. */
  height: number;
  /** Blocks the network has, as far as the node knows (its own height when it knows no better). */
  target_height: number;
  /** 0-100, whole percent; 100 once synchronized. */
  percent: number;
  peers: number;
  /** Why deposits and withdrawals wait, for the user; null once synchronized. */
  message: string | null;
}

/**
 * The node's sync progress and, while it syncs, the sentence users see. A private regtest chain is
 * always in sync (there is nothing to sync from). monerod reports target_height 0 once synced or
 * before it has heard from any peer.
 */
export function syncStatus(network: MoneroNetwork, info: DaemonSyncInfo): SyncStatus {
  const peers = (info.incoming_connections_count ?? 0) + (info.outgoing_connections_count ?? 0);
  const synchronized = network === 'regtest' || (info.synchronized && info.height >= info.target_height);
  const target = Math.max(info.target_height, info.height);
  // Unknown (0) until a peer has told the node how far the chain goes.
  const percent = synchronized
    ? 100
    : info.target_height > info.height
      ? Math.min(99, Math.floor((info.height / info.target_height) * 100))
      : 0;
  const after = 'Deposits are credited and withdrawals sent once it has caught up.';
  let message: string | null = null;
  if (!synchronized) {
    message =
      peers === 0
        ? `The Monero ${network} node is looking for peers to sync from (at block ${info.height}). ${after}`
        : info.target_height <= info.height
          ? `The Monero ${network} node is syncing (at block ${info.height}, ${peers} peer${peers === 1 ? '' : 's'}). ${after}`
          : `The Monero ${network} node is syncing: block ${info.height} of ${info.target_height} (${percent}%), ${peers} peer${peers === 1 ? '' : 's'}. ${after}`;
  }
  return { network, synchronized, height: info.height, target_height: target, percent, peers, message };
}
