import type { Balance } from '../api/types';
import { Card } from '../ui/layout';
import { Xmr } from '../ui/values';

export function BalanceCard({ balance }: { balance: Balance }) {
  return (
    <Card title="Balance" className="balance-card">
      <div className="balances">
        <div className="balance balance-main">
          <div className="balance-label">Available</div>
          <div className="balance-value" data-testid="balance-available">
            <Xmr value={balance.available} />
          </div>
          <div className="muted small">Ready to trade or withdraw</div>
        </div>
        <div className="balance">
          <div className="balance-label">In escrow</div>
          <div className="balance-value" data-testid="balance-held">
            <Xmr value={balance.held} />
          </div>
          <div className="muted small">Held for trades and withdrawals in progress</div>
        </div>
        <div className="balance">
          <div className="balance-label">Incoming</div>
          <div className="balance-value" data-testid="balance-pending">
            <Xmr value={balance.pending_deposits} />
          </div>
          <div className="muted small">Deposits waiting for confirmations</div>
        </div>
      </div>
    </Card>
  );
}
