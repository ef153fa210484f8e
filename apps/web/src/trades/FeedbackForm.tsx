import { useState, type FormEvent } from 'react';
import type { FeedbackEntry, FeedbackRating } from '../api/types';
import { isApiError } from '../api/error';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { RadioGroup, TextArea } from '../ui/Field';
import { FormError } from '../ui/feedback';

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
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void send.run();
      }}
    >
      <RadioGroup
        legend={`How was trading with ${counterparty}?`}
        name="rating"
        value={rating}
        onChange={setRating}
        options={[
          { value: 'positive', label: 'Positive' },
          { value: 'neutral', label: 'Neutral' },
          { value: 'negative', label: 'Negative' },
        ]}
      />
      <TextArea label="Comment (optional)" rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
      <FormError message={send.error ? errorMessage(send.error) : undefined} />
      <Button type="submit" busy={send.busy}>
        Leave feedback
      </Button>
    </form>
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
