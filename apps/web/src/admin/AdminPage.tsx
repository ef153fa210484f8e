import { useState, type FormEvent } from 'react';
import { api } from '../app/services';
import { useAction, useAsync, useTitle } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { checkPriceInput } from '../money/amount';
import { useCatalog } from '../offers/catalog';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { FormError, Loaded, Notice } from '../ui/feedback';
import { Card, Facts, PageHeader } from '../ui/layout';
import { Badge, DateTime, Xmr } from '../ui/values';
import { StuckWithdrawalsCard } from './StuckWithdrawals';
import './admin.css';

type ReconAmount = 'ledger_liabilities' | 'wallet_balance' | 'wallet_unlocked' | 'pending_deposits' | 'inflight_withdrawals' | 'difference';
const RECON_LABELS: [ReconAmount, string][] = [
  ['ledger_liabilities', 'Owed to users (ledger)'],
  ['wallet_balance', 'Hot wallet balance'],
  ['wallet_unlocked', 'Hot wallet unlocked'],
  ['pending_deposits', 'Deposits not yet credited'],
  ['inflight_withdrawals', 'Withdrawals in flight'],
  ['difference', "Difference (the platform's own money)"],
];

export function AdminPage() {
  useTitle('Admin');
  const recon = useAsync(() => api.admin.reconciliation(), []);
  const verify = useAction(() => api.admin.verifyLedger());
  const [result, setResult] = useState<Awaited<ReturnType<typeof api.admin.verifyLedger>>>();
  return (
    <>
      <PageHeader title="Admin" subtitle="Is every piconero accounted for?" />
      <div className="grid-2">
        <Card
          title="Reconciliation"
          actions={
            <Button variant="secondary" small onClick={() => void recon.reload()} busy={recon.loading && !!recon.data}>
              Refresh
            </Button>
          }
        >
          <Loaded state={recon}>
            {recon.data && (
              <>
                <p data-testid="reconciliation-status">
                  {recon.data.ok ? <Badge tone="success">Balanced</Badge> : <Badge tone="danger">Out of balance</Badge>}
                </p>
                <Facts items={RECON_LABELS.map(([key, label]) => [label, <Xmr value={recon.data![key]} minDecimals={0} />])} />
                <p className="muted small">
                  Difference = wallet balance − deposits not yet credited + withdrawals in flight − owed to users. It is the platform's own
                  money (fees) and must never be negative.
                  {recon.data.checked_at ? (
                    <>
                      {' '}
                      Checked <DateTime value={recon.data.checked_at} />.
                    </>
                  ) : null}
                </p>
              </>
            )}
          </Loaded>
        </Card>
        <Card title="Ledger verification">
          <p>Checks every journal entry: postings sum to zero, no balance below zero, entries untouched.</p>
          <Button onClick={() => void verify.run().then(setResult)} busy={verify.busy}>
            Verify the ledger
          </Button>
          <FormError message={verify.error ? errorMessage(verify.error) : undefined} />
          {result && (
            <div className="verify-result" data-testid="ledger-verify">
              {result.ok ? (
                <Notice kind="success">Ledger OK: {result.checked_entries} entries checked, no problems.</Notice>
              ) : (
                <Notice kind="error">
                  {result.problems.length} problem{result.problems.length === 1 ? '' : 's'} in {result.checked_entries} entries:
                  <ul>
                    {result.problems.slice(0, 50).map((p, i) => (
                      <li key={i}>
                        <code>{typeof p === 'string' ? p : JSON.stringify(p)}</code>
                      </li>
                    ))}
                  </ul>
                </Notice>
              )}
            </div>
          )}
        </Card>
        <PricesCard />
        <WalletStatusCard />
      </div>
      <StuckWithdrawalsCard />
    </>
  );
}

/** The offline price source's prices (PUT /admin/prices). */
function PricesCard() {
  const catalog = useCatalog();
  const prices = useAsync(() => api.offers.price(), []);
  const [currency, setCurrency] = useState('');
  const [price, setPrice] = useState('');
  const [localError, setLocalError] = useState<string>();
  const save = useAction(async () => {
    const updated = await api.admin.setPrices({ [currency.trim().toUpperCase()]: price.trim() });
    prices.setData(updated);
    setPrice('');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = checkPriceInput(price);
    if (!/^[A-Za-z]{3}$/.test(currency.trim())) return setLocalError('Use a 3-letter currency code like EUR.');
    if (!p.ok) return setLocalError(p.message);
    setLocalError(undefined);
    void save.run();
  };
  return (
    <Card title="Market prices">
      <Loaded state={prices}>
        {prices.data && (
          <>
            <dl className="price-grid">
              {Object.entries(prices.data.prices).map(([c, p]) => (
                <div key={c}>
                  <dt>{c}</dt>
                  <dd>{p}</dd>
                </div>
              ))}
            </dl>
            <p className="muted small">
              Source: {prices.data.source} · updated <DateTime value={prices.data.updated_at} />
            </p>
          </>
        )}
      </Loaded>
      <form className="inline-form" onSubmit={submit} noValidate>
        <TextField label="Currency" list="currency-list" value={currency} maxLength={3} onValue={setCurrency} />
        <datalist id="currency-list">
          {catalog.currencies.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <TextField label="Price per XMR" inputMode="decimal" value={price} onValue={setPrice} />
        <Button type="submit" busy={save.busy}>
          Set price
        </Button>
      </form>
      <FormError message={localError ?? (save.error ? errorMessage(save.error) : undefined)} />
    </Card>
  );
}

/** The wallet manager's own view: chain, scan checkpoint, worker lease, queue (GET /admin/wallet/status). */
function WalletStatusCard() {
  const status = useAsync(() => api.admin.walletStatus(), []);
  return (
    <Card
      title="Wallet manager"
      actions={
        <Button variant="secondary" small onClick={() => void status.reload()}>
          Refresh
        </Button>
      }
    >
      <Loaded state={status}>
        {status.data && (
          <Facts
            items={Object.entries(status.data).map(([key, value]) => [
              key.replace(/_/g, ' '),
              value !== null && typeof value === 'object' ? (
                <code className="json">{JSON.stringify(value)}</code>
              ) : (
                String((value as string | number | boolean | null) ?? '—')
              ),
            ])}
          />
        )}
      </Loaded>
    </Card>
  );
}
