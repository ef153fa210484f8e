/** GET /wallet/sync: the Monero node's sync progress. */
export interface SyncStatus {
  network: 'regtest' | 'testnet' | 'stagenet' | 'mainnet';
  synchronized: boolean;
  height: number;
  target_height: number;
  percent: number;
  peers: number;
  /** Why deposits and withdrawals wait; null once synchronized. */
  message: string | null;
}

/** The progress bar's text: "block 500,000 of 2,000,000 · 25% · 8 peers". */
export function progressLabel(s: SyncStatus): string {
  const peers = `${s.peers} peer${s.peers === 1 ? '' : 's'}`;
  if (s.target_height <= s.height || s.percent === 0) return `block ${s.height.toLocaleString('en-US')} · ${peers}`;
  return `block ${s.height.toLocaleString('en-US')} of ${s.target_height.toLocaleString('en-US')} · ${s.percent}% · ${peers}`;
}
