import { useRef } from 'react';
import { api } from '../app/services';
import { useEventStream, useWalletChanged } from '../app/live';
import { useAsync, useInterval, useTitle } from '../app/hooks';
import { useSession } from '../session/SessionContext';
import { ErrorNotice, Loading } from '../ui/feedback';
import { PageHeader } from '../ui/layout';
import { BalanceCard } from './BalanceCard';
import { HistoryCard } from './HistoryCard';
import { DepositCard } from './DepositCard';
import { WithdrawalList } from './WithdrawalList';
import { WithdrawForm } from './WithdrawForm';
import './wallet.css';

export function WalletPage() {
  useTitle('Wallet');
  const { me } = useSession();
  const balance = useAsync(() => api.balance.get(), []);
  // The history follows the balance: reloaded whenever the balance figures change.
  const historyVersion = balance.data ? `${balance.data.available}/${balance.data.held}` : '';
  const address = useAsync(() => api.wallet.depositAddress(), []);
  const deposits = useAsync(() => api.wallet.deposits(), []);
  const withdrawals = useAsync(() => api.wallet.withdrawals(), []);
  const fee = useAsync(() => api.wallet.withdrawalFee(), []);

  const lastRefresh = useRef(Date.now());
  /** Until when to poll fast after something happened (faucet, trade, withdrawal). */
  const boostUntil = useRef(0);
  const refresh = () => {
    lastRefresh.current = Date.now();
    void balance.reload(true);
    void deposits.reload(true);
    void withdrawals.reload(true);
    void fee.reload(true);
  };
  useWalletChanged(() => {
    boostUntil.current = Date.now() + 60_000;
    refresh();
  });
  const live = useEventStream('/events', refresh);
  const busy =
    (deposits.data?.items ?? []).some((d) => d.status === 'pending') ||
    (withdrawals.data?.items ?? []).some((w) => w.status !== 'confirmed' && w.status !== 'failed');
  // Confirmations come from the chain, not from events: poll fast while something is in flight
  // (or was just started), slowly otherwise.
  useInterval(() => {
    const idleMs = live === 'live' ? 30_000 : 10_000;
    if (busy || Date.now() < boostUntil.current || Date.now() - lastRefresh.current >= idleMs) refresh();
  }, 2_000);

  return (
    <>
      <PageHeader title="Wallet" subtitle="Your XMR on Pupero: deposit, follow confirmations, withdraw." />
      {balance.loading ? (
        <Loading label="Loading balance…" />
      ) : balance.error ? (
        <ErrorNotice error={balance.error} onRetry={() => void balance.reload()} />
      ) : (
        balance.data && <BalanceCard balance={balance.data} />
      )}
      <div className="grid-2">
        <div className="stack">
          {address.error ? (
            <ErrorNotice error={address.error} onRetry={() => void address.reload()} />
          ) : (
            <DepositCard address={address.data} deposits={deposits.data?.items ?? []} />
          )}
        </div>
        <div className="stack">
          <WithdrawForm
            available={balance.data?.available}
            network={address.data?.network}
            twoFactor={!!me?.two_factor_enabled}
            fee={fee.data?.fee}
            onQueued={() => {
              boostUntil.current = Date.now() + 60_000;
              refresh();
            }}
          />
          {withdrawals.loading ? (
            <Loading />
          ) : withdrawals.error ? (
            <ErrorNotice error={withdrawals.error} onRetry={() => void withdrawals.reload()} />
          ) : (
            <WithdrawalList items={withdrawals.data?.items ?? []} />
          )}
        </div>
      </div>
      <div className="section-gap">
        <HistoryCard version={historyVersion} />
      </div>
    </>
  );
}
