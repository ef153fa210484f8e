import { useState, type ReactNode } from 'react';
import type { ChatMessage, TradeDetail } from '../api/types';
import { itemsOf } from '../api/endpoints';
import { api } from '../app/services';
import { Link } from '../app/router';
import { announceWalletChange, useEventStream } from '../app/live';
import { useAsync, useInterval, useNow, useTitle } from '../app/hooks';
import { useSession } from '../session/SessionContext';
import { ErrorNotice, Loading, Notice } from '../ui/feedback';
import { Card, Facts, PageHeader } from '../ui/layout';
import { DateTime, Fiat, Mono, Xmr } from '../ui/values';
import { useCatalog } from '../offers/catalog';
import { Chat } from './Chat';
import { FeedbackForm, FeedbackList } from './FeedbackForm';
import { allowedActions, deadlinePassed, formatTimeLeft, nextStep, roleIn } from './logic';
import { ResolvePanel } from './ResolvePanel';
import { StatusBadge } from './StatusBadge';
import { Timeline } from './Timeline';
import { TradeActions } from './TradeActions';
import './trades.css';

/** Has the viewer already rated this trade? (GET /trades/{id} lists the feedback with its author.) */
function feedbackGivenBy(trade: TradeDetail, userId: string): boolean {
  return trade.feedback.some((f) => f.author.id === userId);
}

export function TradeRoomPage({ tradeId }: { tradeId: string }) {
  const { session, me, isModerator } = useSession();
  const now = useNow(1000);
  const trade = useAsync(() => api.trades.get(tradeId), [tradeId]);
  const messages = useAsync(async () => itemsOf<ChatMessage>(await api.trades.messages(tradeId)), [tradeId]);
  const [feedbackDone, setFeedbackDone] = useState(false);
  const catalog = useCatalog();

  const refresh = () => {
    void trade.reload(true);
    void messages.reload(true);
  };
  const live = useEventStream(`/trades/${encodeURIComponent(tradeId)}/stream`, (type) => {
    refresh();
    if (type !== 'message' && type !== 'feedback') announceWalletChange();
  });
  const t = trade.data;
  const finished = t?.status === 'completed' || t?.status === 'cancelled';
  // Polling fallback when the stream is down; a slow safety net when it is up.
  useInterval(refresh, finished ? null : live === 'live' ? 30_000 : 4_000);

  useTitle(t ? `Trade ${t.amount} XMR` : 'Trade');
  if (trade.loading) return <Loading label="Loading trade…" />;
  if (trade.error || !t) return <ErrorNotice error={trade.error} onRetry={() => void trade.reload()} />;

  const viewer = { id: session!.user.id, isModerator };
  const role = roleIn(t, viewer);
  const allowed = allowedActions(t, viewer, now, { feedbackGiven: feedbackDone || feedbackGivenBy(t, viewer.id) });
  const method = catalog.methodName(t.payment_method);
  const step = nextStep({ ...t, payment_method: method }, viewer, now);
  const counterparty = role === 'buyer' ? t.seller : t.buyer;
  const disputeReason = t.dispute?.reason;
  const title =
    role === 'buyer'
      ? `Buying ${t.amount} XMR from ${t.seller.username}`
      : role === 'seller'
        ? `Selling ${t.amount} XMR to ${t.buyer.username}`
        : `Trade: ${t.seller.username} → ${t.buyer.username}`;

  return (
    <>
      <PageHeader
        title={title}
        subtitle={
          <>
            <StatusBadge status={t.status} />{' '}
            <span className="muted small live-indicator">
              {finished ? '' : live === 'live' ? '● Live' : live === 'connecting' ? 'Connecting…' : 'Auto-refreshing'}
            </span>
          </>
        }
        actions={
          <Link to={role === 'moderator' ? '/moderation' : '/trades'} className="btn btn-ghost">
            ← {role === 'moderator' ? 'All disputes' : 'My trades'}
          </Link>
        }
      />
      <div className="trade-room">
        <div className="stack">
          <section
            className={`card next-step${step.yourTurn ? ' your-turn' : ''}`}
            aria-labelledby="next-step-title"
            data-testid="next-step"
          >
            <h2 id="next-step-title">
              {step.actor === null ? 'Trade finished' : step.yourTurn ? 'Your move' : `Waiting for the ${step.actor}`}
            </h2>
            <p>{step.text}</p>
            {t.status === 'escrowed' && (
              <p className={`countdown${deadlinePassed(t, now) ? ' is-late' : ''}`} role="timer" aria-live="off">
                {deadlinePassed(t, now) ? (
                  <>
                    Payment window ended at <DateTime value={t.payment_deadline} />.
                  </>
                ) : (
                  <>
                    Time left to pay: <strong>{formatTimeLeft(t.payment_deadline, now)}</strong>
                  </>
                )}
              </p>
            )}
            <TradeActions
              trade={t}
              method={method}
              role={role}
              allowed={allowed}
              twoFactor={!!me?.two_factor_enabled}
              onChanged={(u) => {
                // An action answers the trade without its timeline and feedback: keep those until the reload.
                trade.setData({ ...t, ...u });
                void messages.reload(true);
              }}
              onStale={refresh}
            />
            {t.resolution?.note && (
              <p className="resolution-note">
                <strong>Moderator's note:</strong> {t.resolution.note}
              </p>
            )}
            {t.status === 'completed' && role === 'buyer' && (
              <p>
                <Link to="/wallet">See your balance →</Link>
              </p>
            )}
          </section>

          {allowed.resolve && (
            <Card title="Resolve dispute">
              {disputeReason && (
                <Notice kind="warning">
                  <strong>Reason given:</strong> {disputeReason}
                </Notice>
              )}
              <ResolvePanel trade={t} onResolved={(u) => trade.setData({ ...t, ...u })} />
            </Card>
          )}

          {t.status === 'completed' && (role === 'buyer' || role === 'seller') && (
            <Card title="Feedback">
              {feedbackDone && <Notice kind="success">Thanks: your feedback about {counterparty.username} is saved.</Notice>}
              <FeedbackList items={t.feedback ?? []} meId={viewer.id} />
              {allowed.feedback && (
                <FeedbackForm
                  tradeId={t.id}
                  counterparty={counterparty.username}
                  onDone={() => {
                    setFeedbackDone(true);
                    void trade.reload(true);
                  }}
                />
              )}
            </Card>
          )}

          <Card title="Chat">
            {t.status === 'disputed' && role !== 'moderator' && disputeReason && (
              <p className="muted small">Dispute reason: {disputeReason}</p>
            )}
            <Chat
              tradeId={t.id}
              meId={viewer.id}
              messages={messages.data ?? []}
              loading={messages.loading}
              canWrite={allowed.chat}
              onSent={(m) => messages.setData((list) => [...(list ?? []).filter((x) => x.id !== m.id), m])}
            />
            <ErrorNotice error={messages.error} onRetry={() => void messages.reload()} />
          </Card>
        </div>

        <div className="stack">
          <Card title="Progress">
            <Timeline trade={t} />
          </Card>
          <Card title="Details">
            <Facts
              items={[
                ['Amount', <Xmr value={t.amount} minDecimals={0} />],
                [
                  'Price',
                  <>
                    <Fiat value={t.price} currency={t.currency} /> / XMR
                  </>,
                ],
                [
                  'Fiat total',
                  <strong>
                    <Fiat value={t.fiat_amount} currency={t.currency} />
                  </strong>,
                ],
                ['Payment method', method],
                ...(t.fee && t.fee !== '0' ? [['Platform fee', <Xmr value={t.fee} minDecimals={0} />] as [string, ReactNode]] : []),
                ['Buyer', t.buyer.username + (role === 'buyer' ? ' (you)' : '')],
                ['Seller', t.seller.username + (role === 'seller' ? ' (you)' : '')],
                ['Started', <DateTime value={t.created_at} />],
                ['Pay before', <DateTime value={t.payment_deadline} />],
                ['Trade id', <Mono value={t.id} short />],
              ]}
            />
            {t.terms && (
              <>
                <h3>Offer terms</h3>
                <p className="terms">{t.terms}</p>
              </>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
