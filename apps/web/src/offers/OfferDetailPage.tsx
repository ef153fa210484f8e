import { useState, type FormEvent } from 'react';
import type { Reputation } from '../api/types';
import { isApiError } from '../api/error';
import { api } from '../app/services';
import { looksLikeCode, secondFactorError, secondFactorFields } from '../auth/secondFactor';
import { SecondFactorField } from '../auth/SecondFactorField';
import { Link, useRouter } from '../app/router';
import { useAction, useAsync, useTitle } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { checkXmrInput, fiatFor } from '../money/amount';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { Empty, ErrorNotice, FormError, Loading, Notice } from '../ui/feedback';
import { Card, Facts, PageHeader } from '../ui/layout';
import { Badge, DateTime, Fiat, Xmr } from '../ui/values';
import { useCatalog } from './catalog';
import { reputationText } from './Reputation';
import { priceText, takerAction } from './offerText';
import './offers.css';

export function OfferDetailPage({ offerId }: { offerId: string }) {
  const { session, me } = useSession();
  const { navigate } = useRouter();
  const catalog = useCatalog();
  const offer = useAsync(() => api.offers.get(offerId), [offerId]);
  const ownerId = offer.data?.owner.id;
  const reputation = useAsync<Reputation | undefined>(
    () => api.users.reputation(ownerId!).catch(() => offer.data?.owner.reputation ?? undefined),
    [ownerId],
    !!ownerId,
  );
  const taking = offer.data ? takerAction(offer.data) : 'buy';
  const balance = useAsync(() => api.balance.get(), [session?.user.id, taking], !!session && taking === 'sell');
  const [amount, setAmount] = useState('');
  const [touched, setTouched] = useState(false);
  const [code, setCode] = useState('');
  const [submitted, setSubmitted] = useState(false);
  useTitle(offer.data ? `${taking === 'buy' ? 'Buy' : 'Sell'} XMR · ${offer.data.owner.username}` : 'Offer');

  // Selling to a buy offer puts the user's XMR in escrow: with 2FA on, that needs a fresh code.
  const needsCode = taking === 'sell' && !!me?.two_factor_enabled;
  const start = useAction(async (input: { amount: string; price: string | null }) => {
    try {
      const trade = await api.trades.start(offerId, input.amount, {
        // The price shown here: if the maker changed it meanwhile, the server refuses (price_changed).
        ...(input.price ? { price: input.price } : {}),
        ...(needsCode ? secondFactorFields(code) : {}),
      });
      navigate(`/trades/${trade.id}`);
    } catch (error) {
      if (isApiError(error) && error.code === 'two_factor_required') setCode('');
      // Show the new price (and total) before the user decides again.
      if (isApiError(error) && error.code === 'price_changed') void offer.reload(true);
      throw error;
    }
  });

  if (offer.loading) return <Loading label="Loading offer…" />;
  if (offer.error || !offer.data) return <ErrorNotice error={offer.error} onRetry={() => void offer.reload()} />;
  const o = offer.data;
  const mine = session?.user.id === o.owner.id;
  const check = checkXmrInput(amount, { min: o.min_amount, max: o.max_amount });
  const total = fiatFor(amount, o.effective_price);
  const server = splitErrors(start.error, ['amount', 'totp_code']);
  const codeError =
    isApiError(start.error) && start.error.code === 'two_factor_required' ? secondFactorError(start.error) : server.fields.totp_code;
  const amountError = (touched && !check.ok ? check.message : undefined) ?? server.fields.amount;
  const rep = reputation.data ?? o.owner.reputation;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setSubmitted(true);
    if (check.ok && (!needsCode || looksLikeCode(code))) void start.run({ amount: check.text, price: o.effective_price ?? null });
  };

  return (
    <>
      <PageHeader
        title={`${taking === 'buy' ? 'Buy' : 'Sell'} XMR ${taking === 'buy' ? 'from' : 'to'} ${o.owner.username}`}
        subtitle={`${catalog.methodName(o.payment_method, o.payment_method_detail)} · ${o.currency}`}
        actions={
          <Link to="/" className="btn btn-ghost">
            ← Back to market
          </Link>
        }
      />
      <div className="grid-2">
        <Card title="Offer">
          <div className="big-price">
            <Fiat value={o.effective_price} currency={o.currency} /> <span className="muted">per XMR</span>
          </div>
          <Facts
            items={[
              ['Price', priceText(o)],
              [
                'Limits',
                <>
                  <Xmr value={o.min_amount} minDecimals={0} unit={false} /> – <Xmr value={o.max_amount} minDecimals={0} />
                </>,
              ],
              ['Payment method', catalog.methodName(o.payment_method, o.payment_method_detail)],
              ['Payment window', `${o.payment_window_minutes} minutes`],
              [
                'Trader',
                <span>
                  {o.owner.username} <span className="muted">· {reputation.loading ? '…' : reputationText(rep)}</span>
                </span>,
              ],
              ['Status', <Badge tone={o.status === 'active' ? 'success' : 'warning'}>{o.status}</Badge>],
              ['Published', <DateTime value={o.created_at} />],
            ]}
          />
          <h3>Terms</h3>
          {o.terms ? <p className="terms">{o.terms}</p> : <p className="muted">No extra terms.</p>}
        </Card>
        <Card title={taking === 'buy' ? 'Start a trade' : 'Sell to this buyer'}>
          {mine ? (
            <Empty title="This is your own offer.">
              <Link to={`/offers/${o.id}/edit`}>Edit it</Link> or see <Link to="/my/offers">all your offers</Link>.
            </Empty>
          ) : o.status !== 'active' ? (
            <Notice kind="warning">This offer is {o.status}; it cannot be traded right now.</Notice>
          ) : !session ? (
            <Empty title="Log in to trade.">
              <Link to={`/login?next=${encodeURIComponent(`/offers/${o.id}`)}`}>Log in</Link> or{' '}
              <Link to={`/register?next=${encodeURIComponent(`/offers/${o.id}`)}`}>create an account</Link>.
            </Empty>
          ) : (
            <form onSubmit={submit} noValidate>
              <TextField
                label="Amount (XMR)"
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                placeholder={`${o.min_amount} – ${o.max_amount}`}
                value={amount}
                onChange={(e) => {
                  setAmount(e.target.value);
                  start.setError(undefined);
                }}
                onBlur={() => setTouched(true)}
                error={amountError}
                hint={
                  taking === 'sell' && balance.data ? (
                    <>
                      Between {o.min_amount} and {o.max_amount} XMR. Available: <Xmr value={balance.data.available} />
                    </>
                  ) : (
                    `Between ${o.min_amount} and ${o.max_amount} XMR.`
                  )
                }
                after={
                  <div className="total" aria-live="polite" data-testid="fiat-total">
                    {taking === 'buy' ? 'You pay' : 'You receive'}:{' '}
                    <strong>{total ? <Fiat value={total} currency={o.currency} /> : `— ${o.currency}`}</strong>
                  </div>
                }
              />
              <p className="muted small">
                {taking === 'buy'
                  ? `The seller's XMR is locked in escrow when the trade starts. You then have ${o.payment_window_minutes} minutes to pay by ${catalog.methodName(o.payment_method, o.payment_method_detail)}.`
                  : `Your XMR is locked in escrow when the trade starts and released to the buyer only when you confirm their payment.`}
              </p>
              {needsCode && (
                // Same as the release dialog's code field in TradeActions: each clears its own action's error when a new code is typed.
                <SecondFactorField
                  value={code}
                  onChange={(typed) => {
                    setCode(typed);
                    start.setError(undefined);
                  }}
                  error={
                    codeError ?? (submitted && !looksLikeCode(code) ? 'Enter the 6-digit code from your authenticator app.' : undefined)
                  }
                  hint="Selling puts your XMR in escrow: it needs the current code of your authenticator app (or a recovery code)."
                />
              )}
              <FormError message={server.form} />
              <Button type="submit" busy={start.busy} className="full" variant={taking === 'buy' ? 'success' : 'primary'}>
                {taking === 'buy' ? 'Start trade: buy XMR' : 'Start trade: sell XMR'}
              </Button>
            </form>
          )}
        </Card>
      </div>
    </>
  );
}
