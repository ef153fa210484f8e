import type { Offer } from '../api/types';
import { Link } from '../app/router';
import { useSession } from '../session/SessionContext';
import { Fiat, Xmr } from '../ui/values';
import { ReputationLine } from './Reputation';
import { priceText, takerAction } from './offerText';

/** Offers as a table on wide screens and as cards on phones (same markup, CSS decides). */
export function OfferList({ offers, methodName }: { offers: Offer[]; methodName: (id: string, detail?: string) => string }) {
  const { session } = useSession();
  return (
    <table className="table offers-table">
      <thead>
        <tr>
          <th scope="col">Trader</th>
          <th scope="col">Price per XMR</th>
          <th scope="col">Limits</th>
          <th scope="col">Payment</th>
          <th scope="col">
            <span className="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {offers.map((offer) => {
          const mine = session?.user.id === offer.owner.id;
          const verb = takerAction(offer) === 'buy' ? 'Buy' : 'Sell';
          return (
            <tr key={offer.id} data-testid="offer-row">
              <td data-label="Trader">
                <div className="trader">
                  <span className="avatar" aria-hidden="true">
                    {offer.owner.username.slice(0, 1).toUpperCase()}
                  </span>
                  <div>
                    <div className="trader-name">{offer.owner.username}</div>
                    <ReputationLine rep={offer.owner.reputation} />
                  </div>
                </div>
              </td>
              <td data-label="Price">
                <div className="cell-value">
                  <div className="price">
                    <Fiat value={offer.effective_price} currency={offer.currency} />
                  </div>
                  <div className="muted small">{priceText(offer)}</div>
                </div>
              </td>
              <td data-label="Limits">
                <div className="cell-value">
                  <Xmr value={offer.min_amount} minDecimals={0} unit={false} /> – <Xmr value={offer.max_amount} minDecimals={0} />
                </div>
              </td>
              <td data-label="Payment">
                <div className="cell-value">
                  <div>{methodName(offer.payment_method, offer.payment_method_detail)}</div>
                  <div className="muted small">{offer.payment_window_minutes} min to pay</div>
                </div>
              </td>
              <td className="cell-action">
                <Link
                  to={`/offers/${offer.id}`}
                  className={`btn btn-small ${mine ? 'btn-secondary' : verb === 'Buy' ? 'btn-success' : 'btn-primary'}`}
                  aria-label={`${mine ? 'View' : verb} XMR: offer by ${offer.owner.username}`}
                >
                  {mine ? 'Your offer' : `${verb} XMR`}
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
