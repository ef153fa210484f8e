import type { Deposit, DepositAddress } from '../api/types';
import { CopyButton } from '../ui/CopyButton';

import { Card } from '../ui/layout';
import { QrCode } from '../ui/QrCode';
import { Badge, Mono, Xmr } from '../ui/values';

export function DepositCard({ address, deposits }: { address: DepositAddress | undefined; deposits: Deposit[] }) {
  const pending = deposits.filter((d) => d.status === 'pending');
  const done = deposits.filter((d) => d.status !== 'pending').slice(0, 5);
  return (
    <Card title="Deposit" id="deposit">
      {!address ? (
        <p className="muted">Loading your deposit address…</p>
      ) : (
        <div className="deposit">
          <QrCode text={`monero:${address.address}`} label="QR code of your deposit address" size={168} />
          <div className="deposit-info">
            <p>
              Send XMR to your personal address
              {address.network !== 'mainnet' ? (
                <>
                  {' '}
                  on <strong>{address.network}</strong>
                </>
              ) : null}
              . It is credited after{' '}
              {address.required_confirmations ? `${address.required_confirmations} confirmations` : 'the required confirmations'}.
            </p>
            <code className="address" data-testid="deposit-address">
              {address.address}
            </code>
            <div className="row">
              <CopyButton text={address.address} label="Copy address" />
            </div>
          </div>
        </div>
      )}
      <h3>Incoming deposits</h3>
      {pending.length === 0 ? (
        <p className="muted small">No deposits waiting for confirmations.</p>
      ) : (
        <ul className="deposit-list">
          {pending.map((d) => (
            <li key={`${d.txid}-${d.amount}`} data-testid="pending-deposit">
              <div className="row-between">
                <Xmr value={d.amount} />
                <span className="small">
                  {Math.min(d.confirmations, d.required_confirmations)} of {d.required_confirmations} confirmations
                </span>
              </div>
              <progress
                max={d.required_confirmations}
                value={Math.min(d.confirmations, d.required_confirmations)}
                aria-label={`Confirmations for deposit ${d.txid.slice(0, 8)}`}
              />
              <Mono value={d.txid} short />
            </li>
          ))}
        </ul>
      )}
      {done.length > 0 && (
        <>
          <h3>Recent deposits</h3>
          <ul className="deposit-list compact">
            {done.map((d) => (
              <li key={`${d.txid}-${d.amount}`} className="row-between" data-testid="deposit" data-status={d.status}>
                <Xmr value={d.amount} />
                {d.status === 'credited' ? (
                  <Badge tone="success">credited</Badge>
                ) : (
                  <Badge tone="danger">not credited (locked output)</Badge>
                )}
                <Mono value={d.txid} short />
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
