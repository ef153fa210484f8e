import type { Trade } from '../api/types';
import { itemsOf } from '../api/endpoints';
import { api } from '../app/services';
import { Link } from '../app/router';
import { useAsync, useInterval, useTitle } from '../app/hooks';
import { Button } from '../ui/Button';
import { DataTable, ListStates, type Column } from '../ui/DataTable';
import { PageHeader } from '../ui/layout';
import { DateTime, Fiat, Xmr } from '../ui/values';
import './admin.css';

const COLUMNS: Column<Trade>[] = [
  {
    label: 'Trade',
    bare: true,
    cell: (t) => (
      <>
        {t.seller.username} → {t.buyer.username}
        <div className="muted small">{t.payment_method}</div>
      </>
    ),
  },
  {
    label: 'Amount',
    cell: (t) => (
      <>
        <Xmr value={t.amount} minDecimals={0} />
        <div className="muted small">
          <Fiat value={t.fiat_amount} currency={t.currency} />
        </div>
      </>
    ),
  },
  { label: 'Reason', className: 'cell-wrap', cell: (t) => t.dispute?.reason ?? '—' },
  { label: 'Updated', cell: (t) => <DateTime value={t.updated_at} /> },
];

/** Moderators: open disputes; each opens in the trade room with its chat and the resolve form. */
export function DisputesPage() {
  useTitle('Disputes');
  const disputes = useAsync(async () => itemsOf<Trade>(await api.admin.disputes()), []);
  useInterval(() => void disputes.reload(true), 15_000);
  return (
    <>
      <PageHeader
        title="Open disputes"
        subtitle="Read the chat, then release to the buyer, refund the seller, or split the held XMR."
        actions={
          <Button variant="secondary" onClick={() => void disputes.reload()}>
            Refresh
          </Button>
        }
      />
      <ListStates state={disputes} items={disputes.data} empty="No open disputes.">
        {(trades) => (
          <DataTable
            rows={trades}
            columns={COLUMNS}
            action={(t) => (
              <Link to={`/trades/${t.id}`} className="btn btn-primary btn-small">
                Review
              </Link>
            )}
          />
        )}
      </ListStates>
    </>
  );
}
