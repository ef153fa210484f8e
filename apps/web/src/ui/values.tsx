import { displayFiat, displayXmr } from '../money/amount';
import './ui.css';

export function Xmr({ value, minDecimals = 4, unit = true }: { value: string | null | undefined; minDecimals?: number; unit?: boolean }) {
  return (
    <span className="amount">
      {displayXmr(value, minDecimals)}
      {unit && <span className="unit"> XMR</span>}
    </span>
  );
}

export function Fiat({ value, currency }: { value: string | null | undefined; currency: string }) {
  return <span className="amount">{displayFiat(value, currency)}</span>;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? dateTime.format(t) : iso;
}

export function DateTime({ value }: { value: string | null | undefined }) {
  return (
    <time dateTime={value ?? undefined} title={value ?? undefined}>
      {formatDateTime(value)}
    </time>
  );
}

/** A long identifier (address, txid) shortened in the middle, full text for copy and tooltips. */
export function Mono({ value, short = false }: { value: string; short?: boolean }) {
  const text = short && value.length > 20 ? `${value.slice(0, 8)}…${value.slice(-8)}` : value;
  return (
    <code className="mono" title={value}>
      {text}
    </code>
  );
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'info' | 'success' | 'warning' | 'danger';
  children: React.ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
