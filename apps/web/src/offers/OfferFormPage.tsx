import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../app/services';
import { Link, useRouter } from '../app/router';
import { useAction, useAsync, useTitle } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { applyMargin, formatPrice, parsePrice } from '@money/fiat';
import { Button } from '../ui/Button';
import { RadioGroup, SelectField, TextArea, TextField } from '../ui/Field';
import { ErrorNotice, FormError, Loading } from '../ui/feedback';
import { Card, PageHeader } from '../ui/layout';
import { useCatalog } from './catalog';
import { CurrencyOptions } from './CurrencyOptions';
import {
  changedFields,
  checkOffer,
  DETAIL_MAX,
  EMPTY_OFFER,
  OTHER_METHOD,
  TERMS_MAX,
  valuesFromOffer,
  type OfferFormValues,
} from './offerForm';
import './offers.css';

const FIELDS = [
  'side',
  'currency',
  'payment_method',
  'payment_method_detail',
  'price_type',
  'price',
  'margin_percent',
  'min_amount',
  'max_amount',
  'terms',
  'payment_window_minutes',
];

/** The fields picked from a few choices; the others are typed as text. */
type ChoiceKey = 'side' | 'price_type';
type TextKey = Exclude<keyof OfferFormValues, ChoiceKey>;

/** Create an offer, or edit one of mine (`offerId`). */

export function OfferFormPage({ offerId }: { offerId?: string }) {
  useTitle(offerId ? 'Edit offer' : 'Create offer');
  const { navigate } = useRouter();
  const catalog = useCatalog();
  const existing = useAsync(() => api.offers.get(offerId!), [offerId], !!offerId);
  const [values, setValues] = useState<OfferFormValues>(EMPTY_OFFER);
  const [local, setLocal] = useState<Record<string, string>>({});
  useEffect(() => {
    if (existing.data) setValues(valuesFromOffer(existing.data));
  }, [existing.data]);

  const save = useAction(async () => {
    const { errors, input } = checkOffer(values);
    setLocal(errors);
    if (!input) return;
    if (offerId && existing.data) {
      const before = checkOffer(valuesFromOffer(existing.data)).input;
      const patch = before ? changedFields(before, input) : input;
      if (Object.keys(patch).length) await api.offers.update(offerId, patch);
    } else {
      await api.offers.create(input);
    }
    navigate('/my/offers');
  });

  if (offerId && existing.loading) return <Loading />;
  if (offerId && existing.error) return <ErrorNotice error={existing.error} onRetry={() => void existing.reload()} />;

  const set = <K extends keyof OfferFormValues>(key: K, value: OfferFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setLocal((l) => ({ ...l, [key]: '' }));
  };
  const server = splitErrors(save.error, FIELDS);
  const err = (key: string) => local[key] || server.fields[key] || undefined;
  /** What every text field of the form binds: its name, value, change and error. */
  const bind = (key: TextKey) => ({ name: key, value: values[key], onValue: (typed: string) => set(key, typed), error: err(key) });
  /** The same for a choice (a RadioGroup). */
  const bindChoice = <K extends ChoiceKey>(key: K) => ({
    name: key,
    value: values[key],
    onChange: (picked: OfferFormValues[K]) => set(key, picked),
    error: err(key),
  });
  const marketPrice = catalog.prices?.prices[values.currency];
  const preview = (() => {
    if (values.price_type !== 'market' || !marketPrice) return undefined;
    try {
      return formatPrice(applyMargin(parsePrice(marketPrice), values.margin_percent || '0'));
    } catch {
      return undefined;
    }
  })();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };

  return (
    <>
      <PageHeader
        title={offerId ? 'Edit offer' : 'Create an offer'}
        subtitle="Offers are public. Anyone can start a trade with you within your limits."
        actions={
          <Link to="/my/offers" className="btn btn-ghost">
            Cancel
          </Link>
        }
      />
      <form onSubmit={submit} noValidate>
        <div className="grid-2">
          <Card title="What you offer">
            <RadioGroup
              legend="I want to"
              {...bindChoice('side')}
              options={[
                { value: 'sell', label: 'Sell XMR' },
                { value: 'buy', label: 'Buy XMR' },
              ]}
            />
            {offerId && <p className="muted small">The side of a published offer cannot change.</p>}
            <div className="row-2">
              <SelectField label="Currency" {...bind('currency')} disabled={!!offerId} hint={offerId ? 'Fixed once published.' : undefined}>
                <CurrencyOptions catalog={catalog} include={values.currency} />
              </SelectField>
              <SelectField label="Payment method" {...bind('payment_method')}>
                {catalog.methods.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </SelectField>
            </div>
            {(values.payment_method === OTHER_METHOD || values.payment_method_detail) && (
              <TextField
                label={values.payment_method === OTHER_METHOD ? 'Which payment method?' : 'Payment method details (optional)'}
                {...bind('payment_method_detail')}
                maxLength={DETAIL_MAX}
                hint="One line, e.g. “Local credit union transfer”."
              />
            )}
            {/* Alike the side choice above only in shape: bindChoice is the shared part, the options are this choice's own. */}
            <RadioGroup
              legend="Price"
              {...bindChoice('price_type')}
              options={[
                { value: 'fixed', label: 'Fixed price' },
                { value: 'market', label: 'Market price ± margin' },
              ]}
            />
            {values.price_type === 'fixed' ? (
              <TextField
                label={`Price per XMR (${values.currency})`}
                {...bind('price')}
                inputMode="decimal"
                hint={marketPrice ? `Market price now: ${marketPrice} ${values.currency}` : undefined}
              />
            ) : (
              <TextField
                label="Margin over the market price (%)"
                {...bind('margin_percent')}
                inputMode="decimal"
                hint={
                  marketPrice
                    ? `Market: ${marketPrice} ${values.currency}. Your price now: ${preview ?? '—'} ${values.currency} (follows the market). From -50 to 50.`
                    : `No market price for ${values.currency} right now: use a fixed price.`
                }
              />
            )}
          </Card>
          <Card title="Limits and terms">
            <div className="row-2">
              <TextField label="Minimum per trade (XMR)" {...bind('min_amount')} inputMode="decimal" />
              <TextField label="Maximum per trade (XMR)" {...bind('max_amount')} inputMode="decimal" />
            </div>
            {values.side === 'sell' && (
              <p className="muted small">Each trade holds the traded XMR from your available balance until it ends.</p>
            )}
            <TextField
              label="Payment window (minutes)"
              {...bind('payment_window_minutes')}
              type="number"
              min={15}
              max={1440}
              hint="How long the buyer has to pay: 15 to 1440 minutes."
            />
            <TextArea
              label="Terms (optional)"
              {...bind('terms')}
              rows={5}
              maxLength={TERMS_MAX}
              hint={`${values.terms.length}/${TERMS_MAX} characters. Shown to traders as plain text.`}
            />
          </Card>
        </div>
        <div className="form-footer">
          <FormError message={server.form} />
          <Button type="submit" busy={save.busy}>
            {offerId ? 'Save changes' : 'Publish offer'}
          </Button>
        </div>
      </form>
    </>
  );
}
