import type { Trade } from '../api/types';
import { formatDateTime } from '../ui/values';
import { timelineSteps } from './logic';

export function Timeline({ trade }: { trade: Trade }) {
  const steps = timelineSteps(trade);
  return (
    <ol className="timeline" aria-label="Trade progress">
      {steps.map((s) => (
        <li key={s.key} className={`timeline-step is-${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
          <span className="timeline-dot" aria-hidden="true">
            {s.state === 'done' ? '✓' : s.state === 'failed' ? '✕' : ''}
          </span>
          <div>
            <div className="timeline-label">
              {s.label}
              <span className="visually-hidden"> ({s.state})</span>
            </div>
            {s.at && <div className="muted small">{formatDateTime(s.at)}</div>}
          </div>
        </li>
      ))}
    </ol>
  );
}
