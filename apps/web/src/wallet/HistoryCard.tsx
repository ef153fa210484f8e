import { useEffect, useRef, useState } from 'react';
import type { BalanceHistoryItem } from '../api/types';
import { api } from '../app/services';
import { Link } from '../app/router';
import { useAction, useAsync } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { Empty, ErrorNotice, FormError, Loading } from '../ui/feedback';
import { Card } from '../ui/layout';
import { DateTime, Xmr } from '../ui/values';

const KIND_WORDS: Record<string, string> = {
  deposit: 'Deposit credited',
  trade_hold: 'Held for a trade',
  trade_release: 'Trade completed',
  trade_refund: 'Trade cancelled: escrow returned',
  trade_split: 'Dispute settled (split)',
  withdrawal_hold: 'Withdrawal requested',
  withdrawal_finalise: 'Withdrawal sent',
  withdrawal_release: 'Withdrawal failed: returned',
};

export function describeKind(kind: string): string {
  return KIND_WORDS[kind] ?? kind.replace(/_/g, ' ');
}

/** Signed change of a balance, "+1.5" / "-0.25"; zero changes are not shown. */
function Change({ value, label }: { value: string; label: string }) {
  if (/^-?0+(\.0+)?$/.test(value)) return null;
  const negative = value.startsWith('-');
  return (
    <span className={`change ${negative ? 'is-negative' : 'is-positive'}`}>
      {negative ? '−' : '+'}
      <Xmr value={negative ? value.slice(1) : value} minDecimals={0} /> <span className="muted small">{label}</span>
    </span>
  );
}

/** What each ledger entry did to my balances, newest first. */
export function HistoryCard({ version }: { version: string }) {
  const [more, setMore] = useState<{ items: BalanceHistoryItem[]; cursor: string | null } | null>(null);
  const first = useAsync(() => api.balance.history(), []);
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    setMore(null);
    void first.reload(true); // quietly: the list stays on screen while it refreshes
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new version is the only trigger; `first` changes on every render
  }, [version]);
  const cursor = more ? more.cursor : (first.data?.next_cursor ?? null);
  const loadMore = useAction(async () => {
    const page = await api.balance.history(cursor);
    setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], cursor: page.next_cursor }));
  });
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  return (
    <Card title="History" id="history">
      {first.loading && !first.data ? (
        <Loading />
      ) : first.error ? (
        <ErrorNotice error={first.error} onRetry={() => void first.reload()} />
      ) : items.length === 0 ? (
        <Empty title="Nothing yet." />
      ) : (
        <ul className="history-list">
          {items.map((item) => (
            <li key={item.entry_id}>
              <div className="row-between">
                <strong>
                  {item.reference.type === 'trade' ? (
                    <Link to={`/trades/${item.reference.id}`}>{describeKind(item.kind)}</Link>
                  ) : (
                    describeKind(item.kind)
                  )}
                </strong>
                <span className="muted small">
                  <DateTime value={item.created_at} />
                </span>
              </div>
              <div className="row">
                <Change value={item.changes.available} label="available" />
                <Change value={item.changes.held} label="held" />
              </div>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <Button variant="secondary" small onClick={() => void loadMore.run()} busy={loadMore.busy}>
          Older entries
        </Button>
      )}
      <FormError message={loadMore.error ? errorMessage(loadMore.error) : undefined} />
    </Card>
  );
}
