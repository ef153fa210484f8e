import type { ResponseOf } from '../api/types';

/** GET /wallet/sync: the Monero node's sync progress; `message` says why deposits and withdrawals wait (null once synchronized). */
export type SyncStatus = ResponseOf<'/wallet/sync', 'get'>;

/** The progress bar's text: "block 500,000 of 2,000,000 · 25% · 8 peers". */
export function progressLabel(s: SyncStatus): string {
  const peers = `${s.peers} peer${s.peers === 1 ? '' : 's'}`;
  if (s.target_height <= s.height || s.percent === 0) return `block ${s.height.toLocaleString('en-US')} · ${peers}`;
  return `block ${s.height.toLocaleString('en-US')} of ${s.target_height.toLocaleString('en-US')} · ${s.percent}% · ${peers}`;
}
