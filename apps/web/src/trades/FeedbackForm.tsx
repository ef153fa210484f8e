import { useState } from 'react';
import type { FeedbackEntry, FeedbackRating } from '../api/types';
import { isApiError } from '../api/error';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { DecisionForm } from '../ui/DecisionForm';

export function FeedbackForm({ tradeId, counterparty, onDone }: { tradeId: string; counterparty: string; onDone: () => void }) {
  const [rating, setRating] = useState<FeedbackRating>('positive');
  const [comment, setComment] = useState('');
  const send = useAction(async () => {
    try {
      await api.trades.feedback(tradeId, rating, comment.trim());
    } catch (error) {
      if (!(isApiError(error) && error.status === 409)) throw error;
    }
    onDone();
  });
  return (
    <DecisionForm
      legend={`How was trading with ${counterparty}?`}
      name="rating"
      choice={rating}
      onChoice={setRating}
      options={[
        { value: 'positive', label: 'Positive' },
        { value: 'neutral', label: 'Neutral' },
        { value: 'negative', label: 'Negative' },
      ]}
      text={{ label: 'Comment (optional)', rows: 2, maxLength: 500, value: comment, onValue: setComment }}
      formError={send.error ? errorMessage(send.error) : undefined}
      submit={{ label: 'Leave feedback', busy: send.busy }}
      onSubmit={() => void send.run()}
    />
  );
}

const RATING_LABEL = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' } as const;

/** Feedback the parties left on this trade. */
export function FeedbackList({ items, meId }: { items: FeedbackEntry[]; meId: string }) {
  if (!items.length) return null;
  return (
    <ul className="feedback-list">
      {items.map((f, i) => (
        <li key={i}>
          <strong>{f.author?.id === meId ? 'You' : (f.author?.username ?? 'Trader')}</strong>: {RATING_LABEL[f.rating] ?? f.rating}
          {f.comment ? <span className="muted"> · “{f.comment}”</span> : null}
        </li>
      ))}
    </ul>
  );
}
