import type { Reputation } from '../api/types';

/** "12 trades · 92% positive" or "New trader". */
export function reputationText(rep: Reputation | null | undefined): string {
  if (!rep) return 'No trade history yet';
  const trades = rep.completed_trades ?? 0;
  const fb = rep.feedback;
  const rated = fb ? fb.positive + fb.neutral + fb.negative : 0;
  const base = trades === 0 ? 'New trader' : `${trades} trade${trades === 1 ? '' : 's'}`;
  if (!fb || rated === 0) return base;
  return `${base} · ${Math.round((fb.positive * 100) / rated)}% positive (${rated})`;
}

export function ReputationLine({ rep }: { rep: Reputation | null | undefined }) {
  return <span className="reputation">{reputationText(rep)}</span>;
}
