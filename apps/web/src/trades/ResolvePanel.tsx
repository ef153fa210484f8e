import { useState } from 'react';
import type { ResolveOutcome, Trade } from '../api/types';
import { api } from '../app/services';
import { announceWalletChange } from '../app/live';
import { useAction } from '../app/hooks';
import { errorMessage, splitErrors } from '../errors/messages';
import { checkXmrInput, formatXmrAtomic, toAtomic } from '../money/amount';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DecisionForm } from '../ui/DecisionForm';
import { TextField } from '../ui/Field';
import { Xmr } from '../ui/values';

/** Moderator: decide a disputed trade (release to the buyer, refund the seller, or split). */
export function ResolvePanel({ trade, onResolved }: { trade: Trade; onResolved: (trade: Trade) => void }) {
  const [outcome, setOutcome] = useState<ResolveOutcome>('release');
  const [buyerAmount, setBuyerAmount] = useState('');
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  // A split gives the buyer strictly more than 0 and less than the whole amount.
  const splitCheck = checkXmrInput(buyerAmount);
  const split: typeof splitCheck =
    splitCheck.ok && splitCheck.atomic >= toAtomic(trade.amount)
      ? { ok: false, message: `Must be less than ${trade.amount} XMR (to give the buyer everything, choose release).` }
      : splitCheck;
  const resolve = useAction(async () => {
    const body = { outcome, note: note.trim(), ...(outcome === 'split' && split.ok ? { buyer_amount: split.text } : {}) };
    onResolved(await api.admin.resolve(trade.id, body));
    setConfirming(false);
    announceWalletChange();
  });
  const server = splitErrors(resolve.error, ['buyer_amount', 'note']);
  const errors = { ...server.fields, ...local };

  const submit = () => {
    const problems: Record<string, string> = {};
    if (outcome === 'split' && !split.ok) problems.buyer_amount = split.message;
    if (note.trim().length < 3) problems.note = 'Write a note explaining the decision.';
    setLocal(problems);
    if (!Object.keys(problems).length) setConfirming(true);
  };
  const sellerShare = outcome === 'split' && split.ok ? formatXmrAtomic(toAtomic(trade.amount) - split.atomic) : undefined;

  return (
    <>
      {/* Same shape as FeedbackForm: DecisionForm is the shared part; the choices, text and submit are each form's own. */}
      <DecisionForm
        legend="Decision"
        name="outcome"
        choice={outcome}
        onChoice={setOutcome}
        options={[
          { value: 'release', label: 'Release to buyer' },
          { value: 'refund', label: 'Refund seller' },
          { value: 'split', label: 'Split' },
        ]}
        text={{ label: 'Note (shown to both parties)', rows: 3, maxLength: 2000, value: note, onValue: setNote, error: errors.note }}
        formError={server.form}
        submit={{ label: 'Resolve dispute', variant: 'danger' }}
        onSubmit={submit}
      >
        {outcome === 'split' && (
          <TextField
            label="Buyer receives (XMR)"
            inputMode="decimal"
            value={buyerAmount}
            onValue={setBuyerAmount}
            error={errors.buyer_amount}
            hint={
              sellerShare ? (
                <>
                  The seller gets back <Xmr value={sellerShare} minDecimals={0} />.
                </>
              ) : (
                <>
                  Out of <Xmr value={trade.amount} minDecimals={0} /> held.
                </>
              )
            }
          />
        )}
      </DecisionForm>
      <ConfirmDialog
        open={confirming}
        title="Resolve this dispute?"
        confirmLabel="Resolve"
        danger
        busy={resolve.busy}
        error={resolve.error ? errorMessage(resolve.error) : undefined}
        onConfirm={() => void resolve.run()}
        onClose={() => setConfirming(false)}
      >
        <p>
          {outcome === 'release' && (
            <>
              All <Xmr value={trade.amount} minDecimals={0} /> goes to the buyer, {trade.buyer.username}.
            </>
          )}
          {outcome === 'refund' && (
            <>
              The held <Xmr value={trade.amount} minDecimals={0} /> goes back to the seller, {trade.seller.username}.
            </>
          )}
          {outcome === 'split' && split.ok && (
            <>
              {trade.buyer.username} gets <Xmr value={split.text} minDecimals={0} />, {trade.seller.username} gets{' '}
              <Xmr value={sellerShare} minDecimals={0} />.
            </>
          )}{' '}
          This is final.
        </p>
      </ConfirmDialog>
    </>
  );
}
