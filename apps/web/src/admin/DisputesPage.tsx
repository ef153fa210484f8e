import type { Trade } from '../api/types';
import { itemsOf } from '../api/endpoints';
import { api } from '../app/services';
import { Link } from '../app/router';
import { useAsync, useInterval, useTitle } from '../app/hooks';
import { Button } from '../ui/Button';
import { Empty, ErrorNotice, Loading } from '../ui/feedback';
import { PageHeader } from '../ui/layout';
import { DateTime, Fiat, Xmr } from '../ui/values';

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
      {disputes.loading ? (
        <Loading />
      ) : disputes.error ? (
        <ErrorNotice error={disputes.error} onRetry={() => void disputes.reload()} />
      ) : !disputes.data?.length ? (
        <Empty title="No open disputes." />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Trade</th>
              <th scope="col">Amount</th>
              <th scope="col">Reason</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {disputes.data.map((t) => (
              <tr key={t.id}>
                <td data-label="Trade">
                  {t.seller.username} → {t.buyer.username}
                  <div className="muted small">{t.payment_method}</div>
                </td>
                <td data-label="Amount">
                  <div className="cell-value">
                    <Xmr value={t.amount} minDecimals={0} />
                    <div className="muted small">
                      <Fiat value={t.fiat_amount} currency={t.currency} />
                    </div>
                  </div>
                </td>
                <td data-label="Reason" className="cell-wrap">
                  <div className="cell-value">{t.dispute?.reason ?? '—'}</div>
                </td>
                <td data-label="Updated">
                  <div className="cell-value">
                    <DateTime value={t.updated_at} />
                  </div>
                </td>
                <td className="cell-action">
                  <Link to={`/trades/${t.id}`} className="btn btn-primary btn-small">
                    Review
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
