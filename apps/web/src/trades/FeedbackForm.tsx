import { useState, type FormEvent } from 'react';
import type { FeedbackRating } from '../api/types';
import { isApiError } from '../api/error';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { RadioGroup, TextArea } from '../ui/Field';
import { FormError, Notice } from '../ui/feedback';

export function FeedbackForm({ tradeId, counterparty, onDone }: { tradeId: string; counterparty: string; onDone(): void }) {
  const [rating, setRating] = useState<FeedbackRating>('positive');
  const [comment, setComment] = useState('');
  const [sent, setSent] = useState(false);
  const send = useAction(async () => {
    try {
      await api.trades.feedback(tradeId, rating, comment.trim());
    } catch (error) {
      if (!(isApiError(error) && error.status === 409)) throw error;
    }
    setSent(true);
    onDone();
  });
  if (sent) return <Notice kind="success">Thanks: your feedback about {counterparty} is saved.</Notice>;
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
          { value: 'positive', label: '👍 Positive' },
          { value: 'neutral', label: 'Neutral' },
          { value: 'negative', label: '👎 Negative' },
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
