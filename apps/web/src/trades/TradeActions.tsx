import { useState } from 'react';
import type { Trade } from '../api/types';
import { isApiError } from '../api/error';
import { api } from '../app/services';
import { announceWalletChange } from '../app/live';
import { useAction } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { looksLikeCode, secondFactorError, secondFactorFields } from '../auth/secondFactor';
import { SecondFactorField } from '../auth/SecondFactorField';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { TextArea } from '../ui/Field';
import { Fiat, Xmr } from '../ui/values';
import type { AllowedActions, TradeRole } from './logic';

type Kind = 'paid' | 'release' | 'cancel' | 'dispute';

/** The buttons of the trade room, each behind a confirmation dialog (these steps cannot be undone). */
export function TradeActions({
  trade,
  method,
  role,
  allowed,
  twoFactor,
  onChanged,
  onStale,
}: {
  trade: Trade;
  /** The payment method's name. */
  method: string;
  role: TradeRole;
  allowed: AllowedActions;
  /** The viewer has 2FA on: releasing (it sends their XMR away) needs a fresh code. */
  twoFactor: boolean;
  onChanged: (trade: Trade) => void;
  /** The trade moved on elsewhere (409): reload it. */
  onStale: () => void;
}) {
  const [open, setOpen] = useState<Kind>();
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const act = useAction(async (kind: Kind) => {
    try {
      const updated =
        kind === 'paid'
          ? await api.trades.markPaid(trade.id)
          : kind === 'release'
            ? await api.trades.release(trade.id, twoFactor ? secondFactorFields(code) : {})
            : kind === 'cancel'
              ? await api.trades.cancel(trade.id)
              : await api.trades.dispute(trade.id, reason.trim());
      onChanged(updated);
      announceWalletChange();
      setOpen(undefined);
      setReason('');
      setCode('');
    } catch (error) {
      // A used code cannot be sent again: clear it so the next one is typed fresh.
      if (isApiError(error) && error.code === 'two_factor_required') setCode('');
      if (isApiError(error) && error.status === 409 && error.code !== 'insufficient_funds') onStale();
      throw error;
    }
  });
  const close = () => {
    setOpen(undefined);
    setCode('');
    act.setError(undefined);
  };
  /** What every dialog binds: open while its kind is chosen, confirming runs that action. */
  const dialog = (kind: Kind) => ({
    open: open === kind,
    busy: act.busy,
    error: act.error ? errorMessage(act.error) : undefined,
    onConfirm: () => void act.run(kind),
    onClose: close,
  });
  const fiat = <Fiat value={trade.fiat_amount} currency={trade.currency} />;
  const any = allowed.markPaid || allowed.release || allowed.cancel || allowed.dispute;
  if (!any) return null;

  return (
    <div className="trade-actions">
      {allowed.markPaid && (
        <Button variant="success" onClick={() => setOpen('paid')}>
          I sent money
        </Button>
      )}
      {allowed.release && (
        <Button variant="success" onClick={() => setOpen('release')}>
          I received money
        </Button>
      )}
      {allowed.cancel && (
        <Button variant="secondary" onClick={() => setOpen('cancel')}>
          Cancel trade
        </Button>
      )}
      {allowed.dispute && (
        <Button variant="ghost" onClick={() => setOpen('dispute')}>
          Open dispute
        </Button>
      )}

      <ConfirmDialog {...dialog('paid')} title="Confirm that you sent the money" confirmLabel="Yes, I sent the money">
        <p>
          Confirm only after you have sent {fiat} to <strong>{trade.seller.username}</strong> by {method}.
        </p>
        <p className="muted">
          The seller is then asked to check their account and release the XMR. Marking a trade paid without paying can lead to a dispute.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        {...dialog('release')}
        title="Release the XMR to the buyer?"
        confirmLabel="Release XMR"
        danger
        confirmDisabled={twoFactor && !looksLikeCode(code)}
        error={act.error ? secondFactorError(act.error) : undefined}
      >
        <p>
          <Xmr value={trade.amount} minDecimals={0} /> goes to <strong>{trade.buyer.username}</strong> at once.{' '}
          <strong>This cannot be undone.</strong>
        </p>
        <p>Confirm only when {fiat} has arrived in your account: check your bank or payment app, not a screenshot.</p>
        {twoFactor && (
          <SecondFactorField
            value={code}
            onChange={(typed) => {
              setCode(typed);
              act.setError(undefined);
            }}
            hint="Releasing XMR needs the current code of your authenticator app (or a recovery code)."
          />
        )}
      </ConfirmDialog>

      <ConfirmDialog {...dialog('cancel')} title="Cancel this trade?" confirmLabel="Cancel trade" cancelLabel="Keep the trade" danger>
        {role === 'buyer' ? (
          <p>
            <strong>Do not cancel if you have already paid.</strong> Cancelling ends the trade and the seller's XMR is released back to
            them.
          </p>
        ) : (
          <p>
            The buyer did not confirm payment in time. Cancelling returns the held XMR to your available balance. If you did receive the
            money, open a dispute instead.
          </p>
        )}
      </ConfirmDialog>

      {/* Alike the release dialog in shape only: dialog() is the shared part, what is left is each dialog's own text and checks. */}
      <ConfirmDialog
        {...dialog('dispute')}
        title="Open a dispute"
        confirmLabel="Open dispute"
        danger
        confirmDisabled={reason.trim().length < 5}
      >
        <p>A moderator will read the chat and decide where the held XMR goes. Explain what happened and add evidence to the chat.</p>
        <TextArea label="What went wrong?" value={reason} onValue={setReason} rows={4} maxLength={1000} hint="At least 5 characters." />
      </ConfirmDialog>
    </div>
  );
}
