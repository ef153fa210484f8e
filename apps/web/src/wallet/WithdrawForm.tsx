import { useRef, useState, type FormEvent } from 'react';
import type { Withdrawal } from '../api/types';
import { isApiError } from '../api/error';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { checkXmrInput, formatXmrAtomic, toAtomic } from '../money/amount';
import { Button } from '../ui/Button';
import { OneTimeCodeField, TextField } from '../ui/Field';
import { FormError, Notice } from '../ui/feedback';
import { Card } from '../ui/layout';
import { Xmr } from '../ui/values';
import { checkAddress } from './address';

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

function newKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function WithdrawForm({
  available,
  network,
  twoFactor,
  fee,
  onQueued,
}: {
  available: string | undefined;
  network: string | undefined;
  twoFactor: boolean;
  /** The fee a withdrawal requested now is charged on top of the amount (GET /wallet/withdrawal-fee). */
  fee: string | undefined;
  onQueued: (w: Withdrawal) => void;
}) {
  // The most that can be sent: what is available minus the fee (exact decimal math).
  const maxAmount =
    available !== undefined && fee !== undefined ? formatXmrAtomic(maxBig(toAtomic(available) - toAtomic(fee), 0n)) : available;
  const [address, setAddress] = useState('');
  const [amount, setAmount] = useState('');
  const [code, setCode] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [queued, setQueued] = useState<Withdrawal>();
  // One idempotency key per intended withdrawal: a retry after a lost answer cannot send twice.
  const key = useRef<{ value: string; for: string } | undefined>(undefined);

  const withdraw = useAction(async (input: { address: string; amount: string; totp_code?: string }) => {
    const fingerprint = `${input.address}|${input.amount}`;
    if (!key.current || key.current.for !== fingerprint) key.current = { value: newKey(), for: fingerprint };
    try {
      const w = await api.wallet.withdraw(input, key.current.value);
      key.current = undefined;
      setQueued(w);
      setAddress('');
      setAmount('');
      setCode('');
      onQueued(w);
    } catch (error) {
      // A refused request changed nothing: the next attempt may use a fresh key.
      if (isApiError(error) && error.status >= 400 && error.status < 500) key.current = undefined;
      throw error;
    }
  });

  const server = splitErrors(withdraw.error, ['address', 'amount', 'totp_code']);
  if (isApiError(withdraw.error) && withdraw.error.code === 'two_factor_required' && !twoFactor) {
    server.form = 'Enter your 2FA code.';
  }
  const errors = { ...server.fields, ...local };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQueued(undefined);
    const problems: Record<string, string> = {};
    const a = checkAddress(address, network);
    if (!a.ok) problems.address = a.message;
    const m = checkXmrInput(amount, { max: maxAmount });
    if (!m.ok)
      problems.amount = m.message.replace(
        /^The maximum is (.*)\.$/,
        fee ? 'You can withdraw at most $1 (your available balance minus the fee).' : 'Your available balance is $1.',
      );
    const totp = code.replace(/\s/g, '');
    if (twoFactor && !/^\d{6,8}$/.test(totp)) problems.totp_code = 'Enter the 6-digit code from your authenticator app.';
    setLocal(problems);
    if (Object.keys(problems).length || !a.ok || !m.ok) return;
    void withdraw.run({ address: a.address, amount: m.text, ...(twoFactor ? { totp_code: totp } : {}) });
  };

  return (
    <Card title="Withdraw" id="withdraw">
      {queued && (
        <Notice kind="success">
          Withdrawal of <Xmr value={queued.amount} minDecimals={0} /> queued. Follow it below until it is confirmed on the chain.
        </Notice>
      )}
      {/* Fields written out like those of RegisterPage, OfferDetailPage and ResolvePanel: TextField is the shared part, the props are each field's own. */}
      <form onSubmit={submit} noValidate>
        <TextField
          label="Monero address"
          name="address"
          autoComplete="off"
          spellCheck={false}
          className="mono-input"
          value={address}
          onValue={setAddress}
          error={errors.address}
        />
        <TextField
          label="Amount (XMR)"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onValue={setAmount}
          error={errors.amount}
          hint={
            available !== undefined ? (
              <>
                Available: <Xmr value={available} />{' '}
                {maxAmount && toAtomic(maxAmount) > 0n && (
                  <button type="button" className="link-button" onClick={() => setAmount(maxAmount)}>
                    Withdraw all
                  </button>
                )}
              </>
            ) : undefined
          }
        />
        {twoFactor && (
          <OneTimeCodeField
            label="2FA code"
            name="totp_code"
            value={code}
            onValue={setCode}
            error={errors.totp_code}
            hint="Withdrawals need a code from your authenticator app."
          />
        )}
        <p className="fee-note small">
          <strong>
            Fee
            {fee !== undefined ? (
              <>
                : <Xmr value={fee} minDecimals={0} />
              </>
            ) : null}
            .
          </strong>{' '}
          It covers the Monero network fee and is taken from your balance <em>on top of</em> the amount: the recipient gets the full amount.
          Amount and fee stay held until the transaction is confirmed; a withdrawal that fails before it is broadcast is returned to your
          balance.
        </p>
        <FormError message={server.form} />
        <Button type="submit" busy={withdraw.busy}>
          Withdraw
        </Button>
      </form>
    </Card>
  );
}
