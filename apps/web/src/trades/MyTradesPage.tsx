import { useState } from 'react';
import type { Trade } from '../api/types';
import { api } from '../app/services';
import { Link } from '../app/router';
import { useEventStream } from '../app/live';
import { useAction, useAsync, useInterval, useNow, useTitle } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import { Empty, ErrorNotice, FormError, Loading } from '../ui/feedback';
import { PageHeader } from '../ui/layout';
import { Badge, DateTime, Fiat, Xmr } from '../ui/values';
import { formatTimeLeft, nextStep, roleIn } from './logic';
import { StatusBadge } from './StatusBadge';
import { useCatalog } from '../offers/catalog';
import './trades.css';

export function MyTradesPage() {
  useTitle('My trades');
  const { session, isModerator } = useSession();
  const now = useNow(1000);
  const catalog = useCatalog();
  const first = useAsync(() => api.trades.list(), []);
  const [more, setMore] = useState<{ items: Trade[]; cursor: string | null } | null>(null);
  const cursor = more ? more.cursor : (first.data?.next_cursor ?? null);
  const loadMore = useAction(async () => {
    const page = await api.trades.list(cursor);
    setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], cursor: page.next_cursor }));
  });
  const live = useEventStream('/events', () => void first.reload(true));
  useInterval(() => void first.reload(true), live === 'live' ? 60_000 : 10_000);

  const viewer = { id: session!.user.id, isModerator };
  const trades = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const open = trades.filter((t) => t.status === 'escrowed' || t.status === 'paid' || t.status === 'disputed');
  const done = trades.filter((t) => !open.includes(t));

  const row = (t: Trade) => {
    const role = roleIn(t, viewer);
    const step = nextStep(t, viewer, now);
    const other = role === 'buyer' ? t.seller : t.buyer;
    return (
      <li key={t.id}>
        <Link to={`/trades/${t.id}`} className={`trade-row card${step.yourTurn ? ' your-turn' : ''}`} data-testid="trade-row">
          <div className="trade-row-main">
            <div className="trade-row-title">
              <strong>{role === 'buyer' ? 'Buying' : 'Selling'}</strong> <Xmr value={t.amount} minDecimals={0} />{' '}
              {role === 'buyer' ? 'from' : 'to'} {other.username}
            </div>
            <div className="muted small">
              <Fiat value={t.fiat_amount} currency={t.currency} /> · {catalog.methodName(t.payment_method)} ·{' '}
              <DateTime value={t.created_at} />
            </div>
          </div>
          <div className="trade-row-side">
            <StatusBadge status={t.status} />
            {step.yourTurn && <Badge tone="danger">Your move</Badge>}
            {t.status === 'escrowed' && <span className="muted small">{formatTimeLeft(t.payment_deadline, now)} left</span>}
          </div>
        </Link>
      </li>
    );
  };

  return (
    <>
      <PageHeader title="My trades" subtitle={live === 'live' ? 'Updates live.' : 'Updates every few seconds.'} />
      {first.loading ? (
        <Loading label="Loading trades…" />
      ) : first.error ? (
        <ErrorNotice error={first.error} onRetry={() => void first.reload()} />
      ) : trades.length === 0 ? (
        <Empty title="No trades yet.">
          Find an offer on the <Link to="/">market</Link> to start one.
        </Empty>
      ) : (
        <>
          <h2 className="section-title">In progress ({open.length})</h2>
          {open.length ? <ul className="trade-list">{open.map(row)}</ul> : <p className="muted">Nothing in progress.</p>}
          <h2 className="section-title">Finished ({done.length})</h2>
          {done.length ? <ul className="trade-list">{done.map(row)}</ul> : <p className="muted">No finished trades yet.</p>}
          <div className="pager">
            {cursor && (
              <Button variant="secondary" onClick={() => void loadMore.run()} busy={loadMore.busy}>
                Load older trades
              </Button>
            )}
            <FormError message={loadMore.error ? errorMessage(loadMore.error) : undefined} />
          </div>
        </>
      )}
    </>
  );
}
