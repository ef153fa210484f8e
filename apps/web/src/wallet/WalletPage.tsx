import { api } from '../app/services';
import { useEventStream, useWalletChanged } from '../app/live';
import { useAsync, useInterval, useTitle } from '../app/hooks';
import { useSession } from '../session/SessionContext';
import { ErrorNotice, Loading } from '../ui/feedback';
import { PageHeader } from '../ui/layout';
import { BalanceCard } from './BalanceCard';
import { DepositCard } from './DepositCard';
import { WithdrawalList } from './WithdrawalList';
import { WithdrawForm } from './WithdrawForm';

export function WalletPage() {
  useTitle('Wallet');
  const { me } = useSession();
  const balance = useAsync(() => api.balance.get(), []);
  const address = useAsync(() => api.wallet.depositAddress(), []);
  const deposits = useAsync(() => api.wallet.deposits(), []);
  const withdrawals = useAsync(() => api.wallet.withdrawals(), []);

  const refresh = () => {
    void balance.reload(true);
    void deposits.reload(true);
    void withdrawals.reload(true);
  };
  useWalletChanged(refresh);
  const live = useEventStream('/events', refresh);
  const busy =
    (deposits.data?.items ?? []).some((d) => d.status === 'pending') ||
    (withdrawals.data?.items ?? []).some((w) => w.status !== 'confirmed' && w.status !== 'failed');
  // Confirmations come from the chain, not from events: poll while something is in flight.
  useInterval(refresh, busy ? 3_000 : live === 'live' ? 30_000 : 10_000);

  return (
    <>
      <PageHeader title="Wallet" subtitle="Your XMR on Pupero: deposit, follow confirmations, withdraw." />
      {balance.loading ? <Loading label="Loading balance…" /> : balance.error ? <ErrorNotice error={balance.error} onRetry={() => void balance.reload()} /> : balance.data && <BalanceCard balance={balance.data} />}
      <div className="grid-2">
        <div className="stack">
          {address.error ? <ErrorNotice error={address.error} onRetry={() => void address.reload()} /> : <DepositCard address={address.data} deposits={deposits.data?.items ?? []} />}
        </div>
        <div className="stack">
          <WithdrawForm
            available={balance.data?.available}
            network={address.data?.network}
            twoFactor={!!me?.two_factor_enabled}
            onQueued={() => {
              refresh();
            }}
          />
          {withdrawals.loading ? <Loading /> : withdrawals.error ? <ErrorNotice error={withdrawals.error} onRetry={() => void withdrawals.reload()} /> : <WithdrawalList items={withdrawals.data?.items ?? []} />}
        </div>
      </div>
    </>
  );
}
