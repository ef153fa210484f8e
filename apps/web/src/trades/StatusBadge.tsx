import type { TradeStatus } from '../api/types';
import { Badge } from '../ui/values';
import { STATUS_LABEL } from './logic';

const TONE = { escrowed: 'info', paid: 'warning', completed: 'success', cancelled: 'neutral', disputed: 'danger' } as const;

export function StatusBadge({ status }: { status: TradeStatus }) {
  return (
    <span data-testid="trade-status" data-status={status}>
      <Badge tone={TONE[status] ?? 'neutral'}>{STATUS_LABEL[status] ?? status}</Badge>
    </span>
  );
}
