import { api } from '../app/services';
import { useAsync, useInterval } from '../app/hooks';
import { progressLabel } from './progress';
import './sync.css';

/**
 * While the Monero node syncs (a fresh testnet/stagenet node takes hours): a progress bar with
 * height / target and peers, and why deposits and withdrawals wait. Hidden once in sync, on the
 * regtest chain, and when the wallet is not reachable (other pages say so).
 */
export function SyncBanner() {
  const sync = useAsync(() => api.wallet.sync(), []);
  useInterval(() => void sync.reload(true), sync.data && !sync.data.synchronized ? 10_000 : 60_000);
  const s = sync.data;
  if (!s || s.synchronized) return null;
  return (
    <aside className="syncbar" aria-label="Monero node sync" data-testid="sync-banner">
      <div className="syncbar-inner">
        <strong className="syncbar-tag">Syncing</strong>
        <progress className="syncbar-progress" max={100} value={s.percent || undefined} aria-label={`Sync progress: ${progressLabel(s)}`} />
        <span className="syncbar-label">{progressLabel(s)}</span>
        <span className="syncbar-text">{s.message}</span>
      </div>
    </aside>
  );
}
