import type { Withdrawal, WithdrawalStatus } from '../api/types';
import { CopyButton } from '../ui/CopyButton';
import { Empty } from '../ui/feedback';
import { Card } from '../ui/layout';
import { Badge, DateTime, Mono, Xmr } from '../ui/values';

const STATUS: Record<WithdrawalStatus, { label: string; tone: 'neutral' | 'info' | 'success' | 'warning' | 'danger' }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  signed: { label: 'Signed', tone: 'info' },
  broadcast: { label: 'Broadcast', tone: 'warning' },
  confirmed: { label: 'Confirmed', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

export function WithdrawalList({ items }: { items: Withdrawal[] }) {
  return (
    <Card title="Withdrawals" id="withdrawals">
      {items.length === 0 ? (
        <Empty title="No withdrawals yet." />
      ) : (
        <ul className="withdrawal-list">
          {items.map((w) => {
            const s = STATUS[w.status] ?? { label: w.status, tone: 'neutral' as const };
            return (
              <li key={w.id} data-testid="withdrawal" data-status={w.status}>
                <div className="row-between">
                  <Xmr value={w.amount} />
                  <span data-testid="withdrawal-status">
                    <Badge tone={s.tone}>{s.label}</Badge>
                  </span>
                </div>
                <div className="muted small">
                  To <Mono value={w.address} short />
                  {w.created_at && (
                    <>
                      {' '}
                      · <DateTime value={w.created_at} />
                    </>
                  )}
                  {w.fee && w.fee !== '0' && (
                    <>
                      {' '}
                      · fee <Xmr value={w.fee} minDecimals={0} />
                    </>
                  )}
                </div>
                {w.txid && (
                  <div className="txid-row">
                    <span className="small">Transaction</span>{' '}
                    <code className="mono txid" data-testid="withdrawal-txid">
                      {w.txid}
                    </code>
                    <CopyButton text={w.txid} label="Copy txid" />
                  </div>
                )}
                {(w.status === 'broadcast' || w.status === 'confirmed') && typeof w.confirmations === 'number' && (
                  <div className="small muted">
                    {w.confirmations} confirmation{w.confirmations === 1 ? '' : 's'}
                    {w.required_confirmations ? ` of ${w.required_confirmations}` : ''}
                  </div>
                )}
                {w.status === 'failed' && w.failure_reason && (
                  <div className="field-error">Failed: {w.failure_reason}. The amount was returned to your balance.</div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
