import { useEffect, useState } from 'react';
import type { Offer, OfferSide, PaymentMethodCode } from '../api/types';
import { api } from '../app/services';
import { Link, useQuery, useRouter } from '../app/router';
import { useAction, useAsync, useTitle } from '../app/hooks';
import { checkXmrInput } from '../money/amount';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import { SelectField, TextField } from '../ui/Field';
import { Empty, FormError } from '../ui/feedback';
import { ListStates } from '../ui/DataTable';
import { PageHeader } from '../ui/layout';
import { errorMessage } from '../errors/messages';
import { useCatalog } from './catalog';
import { CurrencyOptions } from './CurrencyOptions';
import { OfferList } from './OfferList';
import './offers.css';

const PAGE_SIZE = 20;

export function MarketPage() {
  const query = useQuery();
  const { navigate } = useRouter();
  const { session } = useSession();
  const catalog = useCatalog();
  // side = what the offer's owner does; the tabs speak from the visitor's point of view.
  const side: OfferSide = query.get('side') === 'buy' ? 'buy' : 'sell';
  const currency = query.get('currency') ?? '';
  const method = query.get('payment_method') ?? '';
  const amount = query.get('amount') ?? '';
  useTitle(side === 'sell' ? 'Buy Monero' : 'Sell Monero');

  const [amountText, setAmountText] = useState(amount);
  useEffect(() => setAmountText(amount), [amount]);
  const amountCheck = amountText.trim() ? checkXmrInput(amountText) : undefined;

  const setFilter = (changes: Record<string, string>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    navigate(`/?${next.toString()}`, { replace: true });
  };

  // Apply a typed amount after a short pause, once it is valid.
  useEffect(() => {
    const value = amountCheck?.ok ? amountCheck.text : amountText.trim() ? null : '';
    if (value === null || value === amount) return;
    const timer = window.setTimeout(() => setFilter({ amount: value }), 400);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only typing restarts the pause; the amount it compares with is read as of now
  }, [amountText]);

  const filters = {
    side,
    currency: currency || undefined,
    // From the URL: an unknown code is the server's to refuse (400), shown like any error.
    payment_method: (method || undefined) as PaymentMethodCode | undefined,
    amount: amount || undefined,
    limit: PAGE_SIZE,
  };
  const first = useAsync(() => api.offers.list(filters), [side, currency, method, amount]);
  const [more, setMore] = useState<{ items: Offer[]; cursor: string | null }>({ items: [], cursor: null });
  useEffect(() => setMore({ items: [], cursor: first.data?.next_cursor ?? null }), [first.data]);
  const loadMore = useAction(async () => {
    const page = await api.offers.list({ ...filters, cursor: more.cursor ?? undefined });
    setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.next_cursor }));
  });
  const offers = [...(first.data?.items ?? []), ...more.items];

  return (
    <>
      <PageHeader
        title={side === 'sell' ? 'Buy Monero' : 'Sell Monero'}
        subtitle={
          side === 'sell'
            ? 'Offers from people selling XMR. Your payment goes to them directly; their XMR is held in escrow.'
            : 'Offers from people buying XMR with their local currency.'
        }
        actions={
          session ? (
            <Link to="/offers/new" className="btn btn-primary">
              Create offer
            </Link>
          ) : (
            <Link to="/register" className="btn btn-primary">
              Sign up to trade
            </Link>
          )
        }
      />
      <div className="tabs" role="tablist" aria-label="Offer type">
        {(['sell', 'buy'] as const).map((s) => (
          <button
            key={s}
            role="tab"
            type="button"
            aria-selected={side === s}
            className={`tab${side === s ? ' active' : ''}`}
            onClick={() => setFilter({ side: s === 'sell' ? '' : 'buy' })}
          >
            {s === 'sell' ? 'Buy XMR' : 'Sell XMR'}
          </button>
        ))}
      </div>
      <form className="filters card" role="search" aria-label="Filter offers" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Currency" value={currency} onChange={(e) => setFilter({ currency: e.target.value })}>
          <option value="">All currencies</option>
          <CurrencyOptions catalog={catalog} include={currency || undefined} />
        </SelectField>
        <SelectField label="Payment method" value={method} onChange={(e) => setFilter({ payment_method: e.target.value })}>
          <option value="">All methods</option>
          {catalog.methods.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Amount (XMR)"
          inputMode="decimal"
          placeholder="Any"
          value={amountText}
          onValue={setAmountText}
          error={amountCheck && !amountCheck.ok ? amountCheck.message : undefined}
        />
        {(currency || method || amount) && (
          <Button
            variant="ghost"
            small
            className="filters-clear"
            onClick={() => navigate(side === 'buy' ? '/?side=buy' : '/', { replace: true })}
          >
            Clear filters
          </Button>
        )}
      </form>
      <section aria-live="polite" aria-busy={first.loading}>
        <ListStates
          state={first}
          items={offers}
          loadingLabel="Loading offers…"
          empty={
            <Empty title="No offers match these filters.">
              {currency || method || amount ? 'Try removing a filter, or ' : 'Be the first: '}
              <Link to="/offers/new">create an offer</Link>.
            </Empty>
          }
        >
          {(shown) => (
            <>
              <OfferList offers={shown} methodName={catalog.methodName} />
              <div className="pager">
                {more.cursor ? (
                  <Button variant="secondary" onClick={() => void loadMore.run()} busy={loadMore.busy}>
                    Load more offers
                  </Button>
                ) : (
                  <span className="muted small">
                    {offers.length} offer{offers.length === 1 ? '' : 's'} shown · end of the list
                  </span>
                )}
                <FormError message={loadMore.error ? errorMessage(loadMore.error) : undefined} />
              </div>
            </>
          )}
        </ListStates>
      </section>
    </>
  );
}
