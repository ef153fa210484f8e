import { useState } from 'react';
import type { StuckWithdrawal } from '../api/types';
import { api } from '../app/services';
import { useAction, useAsync } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { TextArea } from '../ui/Field';
import { Empty, Loaded, Notice } from '../ui/feedback';
import { Card } from '../ui/layout';
import { Badge, DateTime, Mono, Xmr } from '../ui/values';

type Pending = { action: 'retry' | 'fail'; withdrawal: StuckWithdrawal };

/** What the queue is waiting on, in words an operator can act on. */
function waitingOn(w: StuckWithdrawal): string {
  if (w.transaction_status === 'invalidating') {
    return w.replacement_txid
      ? 'Being invalidated: waiting for the replacement transaction to confirm.'
      : 'Being invalidated: a replacement transaction is being sent.';
  }
  if (w.status === 'signed') return `The daemon refused its transaction ${w.relay_failures ?? 0} time(s).`;
  return w.attempts > 0 ? `${w.attempts} failed attempt(s).` : 'Waiting longer than usual.';
}

/** Stuck withdrawals (GET /admin/wallet/withdrawals/stuck) with retry / fail (admin, audited). */
export function StuckWithdrawalsCard() {
  const stuck = useAsync(() => api.admin.stuckWithdrawals(), []);
  const actions = useAsync(() => api.admin.withdrawalActions(), []);
  const [pending, setPending] = useState<Pending>();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  const act = useAction(async (p: Pending, why: string) => {
    const call = p.action === 'retry' ? api.admin.retryWithdrawal : api.admin.failWithdrawal;
    const result = await call(p.withdrawal.id, why);
    setDone(result.outcome);
    setPending(undefined);
    setReason('');
    await Promise.all([stuck.reload(), actions.reload()]);
  });
  const close = () => {
    setPending(undefined);
    setReason('');
    act.setError(undefined);
  };
  return (
    <Card
      title="Stuck withdrawals"
      actions={
        <Button variant="secondary" small onClick={() => void Promise.all([stuck.reload(), actions.reload()])}>
          Refresh
        </Button>
      }
    >
      {done && <Notice kind="success">{done}</Notice>}
      <Loaded state={stuck}>
        {!stuck.data?.items.length ? (
          <Empty title="No stuck withdrawals." />
        ) : (
          <table className="table" data-testid="stuck-withdrawals">
            <thead>
              <tr>
                <th scope="col">Withdrawal</th>
                <th scope="col">Amount</th>
                <th scope="col">Problem</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {stuck.data.items.map((w) => (
                <tr key={w.id}>
                  <td data-label="Withdrawal">
                    <Badge tone={w.transaction_status === 'invalidating' ? 'danger' : 'warning'}>
                      {w.transaction_status === 'invalidating' ? 'invalidating' : w.status}
                    </Badge>
                    <div className="muted small">
                      <Mono value={w.id} short /> · user <Mono value={w.user_id} short /> · <DateTime value={w.created_at} />
                    </div>
                  </td>
                  <td data-label="Amount">
                    <Xmr value={w.amount} minDecimals={0} />
                  </td>
                  <td data-label="Problem" className="cell-wrap">
                    <div className="cell-value">
                      {waitingOn(w)}
                      {(w.last_error ?? '') && <div className="muted small">{w.last_error}</div>}
                    </div>
                  </td>
                  <td className="cell-action">
                    {/* Retry and Fail written out: a loop over [action, variant, label] would hide which button does what. */}
                    <Button
                      small
                      variant="secondary"
                      onClick={() => setPending({ action: 'retry', withdrawal: w })}
                      disabled={w.transaction_status === 'invalidating'}
                    >
                      Retry
                    </Button>{' '}
                    <Button
                      small
                      variant="danger"
                      onClick={() => setPending({ action: 'fail', withdrawal: w })}
                      disabled={w.transaction_status === 'invalidating'}
                    >
                      Fail
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
      {actions.data?.items.length ? (
        <details className="small">
          <summary>Recent operator actions</summary>
          <ul>
            {actions.data.items.map((a) => (
              <li key={a.id}>
                <DateTime value={a.created_at} /> — {a.action} of <Mono value={a.withdrawal_id} short /> by{' '}
                <Mono value={a.actor_id} short />: “{a.reason}” → {a.outcome}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <ConfirmDialog
        open={!!pending}
        title={pending?.action === 'fail' ? 'Give up on this withdrawal?' : 'Try this withdrawal again now?'}
        confirmLabel={pending?.action === 'fail' ? 'Fail withdrawal' : 'Retry now'}
        danger={pending?.action === 'fail'}
        busy={act.busy}
        error={act.error ? errorMessage(act.error) : undefined}
        confirmDisabled={reason.trim().length < 3}
        onConfirm={() => pending && void act.run(pending, reason.trim())}
        onClose={close}
      >
        <p>
          {pending?.action === 'fail'
            ? pending.withdrawal.status === 'queued'
              ? 'It was never signed: it fails now and the user’s funds are returned. The user sees your reason.'
              : 'Its signed transaction will never be relayed again; it fails (with the other withdrawals of that transaction) once an input is re-spent by a replacement transaction. The user sees your reason.'
            : 'Its attempts start over and the worker tries it on its next run.'}
        </p>
        <TextArea label="Reason (kept in the audit trail)" value={reason} maxLength={500} onValue={setReason} />
      </ConfirmDialog>
    </Card>
  );
}
