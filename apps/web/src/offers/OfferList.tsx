import type { Offer } from '../api/types';
import { Link } from '../app/router';
import { useSession } from '../session/SessionContext';
import { DataTable, type Column } from '../ui/DataTable';
import { Fiat, Xmr } from '../ui/values';
import { ReputationLine } from './Reputation';
import { priceText, takerAction } from './offerText';

const ownerColumn: Column<Offer> = {
  label: 'Trader',
  bare: true,
  cell: (offer) => (
    <div className="trader">
      <span className="avatar" aria-hidden="true">
        {offer.owner.username.slice(0, 1).toUpperCase()}
      </span>
      <div>
        <div className="trader-name">{offer.owner.username}</div>
        <ReputationLine rep={offer.owner.reputation} />
      </div>
    </div>
  ),
};

const priceColumn: Column<Offer> = {
  label: 'Price per XMR',
  short: 'Price',
  cell: (offer) => (
    <>
      <div className="price">
        <Fiat value={offer.effective_price} currency={offer.currency} />
      </div>
      <div className="muted small">{priceText(offer)}</div>
    </>
  ),
};

const limitsColumn: Column<Offer> = {
  label: 'Limits',
  cell: (offer) => (
    <>
      <Xmr value={offer.min_amount} minDecimals={0} unit={false} /> – <Xmr value={offer.max_amount} minDecimals={0} />
    </>
  ),
};

/** Offers as a table on wide screens and as cards on phones (same markup, CSS decides). */
export function OfferList({ offers, methodName }: { offers: Offer[]; methodName: (id: string, detail?: string) => string }) {
  const { session } = useSession();
  const paymentColumn: Column<Offer> = {
    label: 'Payment',
    cell: (offer) => (
      <>
        <div>{methodName(offer.payment_method, offer.payment_method_detail)}</div>
        <div className="muted small">{offer.payment_window_minutes} min to pay</div>
      </>
    ),
  };
  return (
    <DataTable
      rows={offers}
      className="offers-table"
      rowTestId="offer-row"
      columns={[ownerColumn, priceColumn, limitsColumn, paymentColumn]}
      action={(offer) => {
        const mine = session?.user.id === offer.owner.id;
        const verb = takerAction(offer) === 'buy' ? 'Buy' : 'Sell';
        return (
          <Link
            to={`/offers/${offer.id}`}
            className={`btn btn-small ${mine ? 'btn-secondary' : verb === 'Buy' ? 'btn-success' : 'btn-primary'}`}
            aria-label={`${mine ? 'View' : verb} XMR: offer by ${offer.owner.username}`}
          >
            {mine ? 'Your offer' : `${verb} XMR`}
          </Link>
        );
      }}
    />
  );
}
