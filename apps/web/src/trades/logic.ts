/**
 * What a trade means for the person looking at it: their role, who must act next, which buttons
 * they may press and how long the payment window still runs. Pure functions of (trade, viewer,
 * now) so the trade room and the trade list agree, and so they can be unit-tested. The rules
 * mirror the Transactions API's state machine (apps/transactions/src/trades/state-machine.ts);
 * they are evaluated here against the ticking clock so that, e.g., the seller's "cancel" appears
 * the moment the payment window closes. The server checks every action again.
 */
import type { Trade, TradeEvent, TradeStatus } from '../api/types';

export type TradeRole = 'buyer' | 'seller' | 'moderator' | 'observer';

export interface Viewer {
  id: string;
  isModerator?: boolean;
}

/** Parties come first: a moderator who trades is a party in that trade. */
export function roleIn(trade: Pick<Trade, 'buyer' | 'seller'>, viewer: Viewer): TradeRole {
  if (trade.buyer.id === viewer.id) return 'buyer';
  if (trade.seller.id === viewer.id) return 'seller';
  return viewer.isModerator ? 'moderator' : 'observer';
}

export function deadlinePassed(trade: Pick<Trade, 'payment_deadline'>, now: number): boolean {
  return Date.parse(trade.payment_deadline) <= now;
}

export interface AllowedActions {
  /** Buyer: "I sent money". */
  markPaid: boolean;
  /** Seller: "I received money" (releases the XMR; only once the buyer pressed "paid"). */
  release: boolean;
  cancel: boolean;
  dispute: boolean;
  chat: boolean;
  feedback: boolean;
  /** Moderator: resolve a dispute. */
  resolve: boolean;
}

/** The state machine of the Transactions API, from the viewer's side. */
export function allowedActions(trade: Trade, viewer: Viewer, now: number, opts: { feedbackGiven?: boolean } = {}): AllowedActions {
  const role = roleIn(trade, viewer);
  const party = role === 'buyer' || role === 'seller';
  const late = deadlinePassed(trade, now);
  const s = trade.status;
  return {
    markPaid: role === 'buyer' && s === 'escrowed' && !late,
    release: role === 'seller' && s === 'paid',
    cancel: (role === 'buyer' && s === 'escrowed') || (role === 'seller' && s === 'escrowed' && late),
    dispute: party && (s === 'paid' || (s === 'escrowed' && late)),
    // The chat stays open after the end: it is the record a dispute is decided on.
    chat: party || role === 'moderator',
    feedback: party && s === 'completed' && !opts.feedbackGiven,
    resolve: role === 'moderator' && s === 'disputed',
  };
}

export interface NextStep {
  /** Who has to do something now (null: the trade is over). */
  actor: 'buyer' | 'seller' | 'moderator' | null;
  /** True when the viewer is the one who must act. */
  yourTurn: boolean;
  /** One sentence for the viewer. */
  text: string;
}

export function nextStep(trade: Trade, viewer: Viewer, now: number): NextStep {
  const role = roleIn(trade, viewer);
  const fiat = `${trade.fiat_amount} ${trade.currency}`;
  const late = deadlinePassed(trade, now);
  const step = (actor: NextStep['actor'], mine: string, theirs: string): NextStep => ({
    actor,
    yourTurn: actor !== null && role === actor,
    text: actor !== null && role === actor ? mine : theirs,
  });
  switch (trade.status) {
    case 'escrowed':
      if (late) {
        return step(
          'seller',
          'The buyer did not confirm payment in time. You can cancel the trade to get your XMR back, or open a dispute if you were paid.',
          role === 'buyer'
            ? 'The payment window has passed. The seller may now cancel; if you did pay, open a dispute.'
            : 'The payment window has passed without payment; the seller may cancel.',
        );
      }
      return step(
        'buyer',
        `Send ${fiat} by ${trade.payment_method} to the seller, then press "I sent money".`,
        role === 'seller'
          ? `Waiting for ${trade.buyer.username} to send ${fiat} by ${trade.payment_method}. Your XMR is held in escrow until they mark the payment as sent and you confirm it arrived.`
          : `Waiting for the buyer (${trade.buyer.username}) to pay.`,
      );
    case 'paid':
      return step(
        'seller',
        `The buyer says they sent ${fiat}. Check that the money has arrived in your account, then press "I received money".`,
        role === 'buyer'
          ? `Waiting for ${trade.seller.username} to confirm your payment and release the XMR.`
          : `Waiting for the seller (${trade.seller.username}) to confirm payment.`,
      );
    case 'disputed':
      return step(
        'moderator',
        'This trade is disputed: read the chat and resolve it.',
        'A moderator is reviewing this dispute. Add any evidence to the chat.',
      );
    case 'completed': {
      const r = trade.resolution;
      if (r?.outcome === 'split') {
        const buyerPart = r.buyer_amount ?? '?';
        const text =
          role === 'buyer'
            ? `Resolved by a moderator: ${buyerPart} XMR was added to your balance; the seller got the rest back.`
            : role === 'seller'
              ? `Resolved by a moderator: the buyer got ${buyerPart} XMR and the rest is available to you again.`
              : `Resolved: split, the buyer got ${buyerPart} XMR.`;
        return { actor: null, yourTurn: false, text };
      }
      const by = r ? 'Resolved by a moderator' : 'Completed';
      return {
        actor: null,
        yourTurn: false,
        text:
          role === 'buyer'
            ? `${by}: ${trade.amount} XMR was added to your balance.`
            : role === 'seller'
              ? `${by}: the XMR was released to the buyer.`
              : `${by}.`,
      };
    }
    case 'cancelled':
      return {
        actor: null,
        yourTurn: false,
        text: trade.resolution
          ? role === 'seller'
            ? 'Resolved by a moderator: the held XMR was returned to you.'
            : 'Resolved by a moderator: the XMR went back to the seller.'
          : role === 'seller'
            ? 'Cancelled: the held XMR is available again.'
            : 'Cancelled.',
      };
    default:
      return { actor: null, yourTurn: false, text: `Status: ${trade.status as string}.` }; // a status this app does not know yet
  }
}

/** "12 min 05 s", "1 h 02 min", or "expired". */
export function formatTimeLeft(deadline: string, now: number): string {
  const ms = Date.parse(deadline) - now;
  if (!(ms > 0)) return 'expired';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

export interface TimelineStep {
  key: string;
  label: string;
  state: 'done' | 'current' | 'upcoming' | 'failed';
  at?: string;
}

/**
 * The steps a trade goes through, for the status timeline. Uses the trade's own event list when
 * the API sends one (times), otherwise derives the steps from the status.
 */
export function timelineSteps(trade: Trade & { timeline?: TradeEvent[] }): TimelineStep[] {
  const events = trade.timeline ?? [];
  const at = (...types: string[]) => events.find((e) => types.includes(e.type))?.created_at;
  const s = trade.status;
  const paidAt = trade.paid_at ?? at('trade_paid', 'paid');
  const disputedAt = trade.dispute?.created_at ?? at('trade_disputed', 'disputed');
  const finishedAt =
    (trade.completed_at || trade.cancelled_at) ?? at('trade_completed', 'trade_cancelled', 'trade_expired', 'trade_resolved');
  const resolvedAt = trade.resolution?.created_at ?? at('trade_resolved');
  const paidDone = !!paidAt || s === 'paid';
  const steps: TimelineStep[] = [
    { key: 'escrowed', label: 'Trade started, XMR in escrow', state: 'done', at: at('trade_created') ?? trade.created_at },
  ];
  // Released straight from escrow (the seller did not wait for "I sent money"): no payment step.
  const skippedPaid = s === 'completed' && !paidDone && !disputedAt;
  if (!skippedPaid) {
    steps.push({
      key: 'paid',
      label: 'Buyer sent the money',
      state: paidDone ? 'done' : s === 'escrowed' ? 'current' : 'upcoming',
      at: paidAt ?? undefined,
    });
  }
  if (disputedAt || s === 'disputed') {
    steps.push({
      key: 'disputed',
      label: s === 'disputed' ? 'Dispute opened, a moderator is reviewing' : 'Dispute opened',
      state: s === 'disputed' ? 'current' : 'done',
      at: disputedAt,
    });
  }
  if (s === 'cancelled') {
    const expired = events.some((e) => e.type === 'trade_expired');
    const label = trade.resolution
      ? 'Moderator refunded the seller'
      : expired
        ? 'Payment window expired: trade cancelled, XMR back to the seller'
        : 'Trade cancelled, XMR back to the seller';
    steps.push({ key: 'cancelled', label, state: 'failed', at: (resolvedAt ?? finishedAt) || trade.updated_at });
    return steps;
  }
  const resolvedLabel =
    trade.resolution?.outcome === 'split' ? 'Moderator split the XMR between the parties' : 'Moderator released the XMR to the buyer';
  steps.push({
    key: 'completed',
    label: trade.resolution ? resolvedLabel : 'Seller confirmed, XMR released to the buyer',
    state: s === 'completed' ? 'done' : s === 'paid' ? 'current' : 'upcoming',
    at: s === 'completed' ? (resolvedAt ?? finishedAt) || trade.updated_at : undefined,
  });
  return steps;
}

export const STATUS_LABEL: Record<TradeStatus, string> = {
  escrowed: 'Waiting for payment',
  paid: 'Payment sent',
  completed: 'Completed',
  cancelled: 'Cancelled',
  disputed: 'In dispute',
};
