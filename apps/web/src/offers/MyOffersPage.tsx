import { useState } from 'react';
import type { Offer } from '../api/types';
import { api } from '../app/services';
import { Link } from '../app/router';
import { useAction, useAsync, useTitle } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Empty, ErrorNotice, FormError, Loading } from '../ui/feedback';
import { PageHeader } from '../ui/layout';
import { Badge, Fiat, Xmr } from '../ui/values';
import { useCatalog } from './catalog';
import { priceText } from './offerText';
import './offers.css';

const STATUS_TONE = { active: 'success', paused: 'warning', closed: 'neutral' } as const;

export function MyOffersPage() {
  useTitle('My offers');
  const catalog = useCatalog();
  const offers = useAsync(() => api.offers.mine(), []);
  const [closing, setClosing] = useState<Offer>();
  const [rowError, setRowError] = useState<{ id: string; message: string }>();

  const replace = (updated: Offer) =>
    offers.setData((page) => (page ? { ...page, items: page.items.map((o) => (o.id === updated.id ? updated : o)) } : page!));

  const toggle = useAction(async (offer: Offer) => {
    setRowError(undefined);
    try {
      replace(await api.offers.update(offer.id, { status: offer.status === 'active' ? 'paused' : 'active' }));
    } catch (error) {
      setRowError({ id: offer.id, message: errorMessage(error) });
    }
  });
  const close = useAction(async () => {
    if (!closing) return;
    await api.offers.close(closing.id);
    replace({ ...closing, status: 'closed' });
    setClosing(undefined);
  });

  const list = (offers.data?.items ?? []).filter((o) => o.status !== 'closed');
  const closed = (offers.data?.items ?? []).filter((o) => o.status === 'closed');

  return (
    <>
      <PageHeader
        title="My offers"
        subtitle="Pause an offer to hide it from the market for a while; close it to end it for good."
        actions={
          <Link to="/offers/new" className="btn btn-primary">
            Create offer
          </Link>
        }
      />
      {offers.loading ? (
        <Loading />
      ) : offers.error ? (
        <ErrorNotice error={offers.error} onRetry={() => void offers.reload()} />
      ) : list.length === 0 && closed.length === 0 ? (
        <Empty title="You have no offers yet.">
          <Link to="/offers/new">Create your first offer</Link> to buy or sell XMR.
        </Empty>
      ) : (
        <div className="offer-cards">
          {[...list, ...closed].map((offer) => (
            <article key={offer.id} className={`card offer-card${offer.status === 'closed' ? ' is-closed' : ''}`} data-testid="my-offer">
              <header className="offer-card-head">
                <h2>
                  {offer.side === 'sell' ? 'Selling' : 'Buying'} XMR for {offer.currency}
                </h2>
                <Badge tone={STATUS_TONE[offer.status]}>{offer.status}</Badge>
              </header>
              <div className="offer-card-body">
                <div>
                  <div className="price">
                    <Fiat value={offer.effective_price} currency={offer.currency} />
                  </div>
                  <div className="muted small">{priceText(offer)}</div>
                </div>
                <div>
                  <Xmr value={offer.min_amount} minDecimals={0} unit={false} /> – <Xmr value={offer.max_amount} minDecimals={0} />
                  <div className="muted small">
                    {catalog.methodName(offer.payment_method, offer.payment_method_detail)} · {offer.payment_window_minutes} min
                  </div>
                </div>
              </div>
              {offer.status !== 'closed' && (
                <div className="row">
                  <Link to={`/offers/${offer.id}`} className="btn btn-ghost btn-small">
                    View
                  </Link>
                  <Link to={`/offers/${offer.id}/edit`} className="btn btn-secondary btn-small">
                    Edit
                  </Link>
                  <Button variant="secondary" small onClick={() => void toggle.run(offer)} busy={toggle.busy}>
                    {offer.status === 'active' ? 'Pause' : 'Resume'}
                  </Button>
                  <Button variant="danger" small onClick={() => setClosing(offer)}>
                    Close
                  </Button>
                </div>
              )}
              {rowError?.id === offer.id && <FormError message={rowError.message} />}
            </article>
          ))}
        </div>
      )}
      {/* Same ConfirmDialog shape as ResolvePanel's and TradeActions': the props are each dialog's own. */}
      <ConfirmDialog
        open={!!closing}
        title="Close this offer?"
        confirmLabel="Close offer"
        danger
        busy={close.busy}
        error={close.error ? errorMessage(close.error) : undefined}
        onConfirm={() => void close.run()}
        onClose={() => {
          setClosing(undefined);
          close.setError(undefined);
        }}
      >
        <p>A closed offer disappears from the market and cannot be reopened. Trades already started are not affected.</p>
      </ConfirmDialog>
    </>
  );
}
