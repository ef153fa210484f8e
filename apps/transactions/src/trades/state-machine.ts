/**
 * The trade state machine: who may do what, from which state, at what time. Pure: the caller
 * passes the trade's facts, the actor and the clock, and gets a decision to carry out (or an
 * error to answer with). Every rule of the contract lives here and nowhere else.
 *
 *   escrowed --paid (buyer, before the deadline)--> paid
 *   paid --release (seller)--> completed                   money: hold -> buyer (+ fee -> platform)
 *   escrowed --cancel (buyer; seller once the deadline passed)--> cancelled   money: hold -> seller
 *   escrowed --expire (the sweep, once the deadline passed)--> cancelled      money: hold -> seller
 *   paid | escrowed past the deadline --dispute (either party)--> disputed
 *   disputed --resolve (moderator/admin, not a party): release -> completed, refund -> cancelled,
 *                                                      split -> completed
 *
 * Release needs `paid`: the product promise is "when both confirm, the balance moves", so the
 * seller cannot release before the buyer said the money was sent (and a stolen seller session
 * cannot release a trade the buyer never confirmed).
 *
 * Repeating an action that already took effect returns the trade unchanged ("noop"): a retried
 * request after a lost response must not fail, and must never move money twice.
 */
import type { TransactionsErrorCode } from '../shared/errors.js';

export type TradeStatus = 'escrowed' | 'paid' | 'completed' | 'cancelled' | 'disputed';
export const TRADE_STATUSES: readonly TradeStatus[] = ['escrowed', 'paid', 'completed', 'cancelled', 'disputed'];

export type PartyAction = 'paid' | 'release' | 'cancel' | 'dispute';
export const PARTY_ACTIONS: readonly PartyAction[] = ['paid', 'release', 'cancel', 'dispute'];

export type ResolveOutcome = 'release' | 'refund' | 'split';
export type ClosedBy = 'release' | 'cancel' | 'expire' | 'resolve';

/** What happens to the held money. */
export type MoneyMove = 'none' | 'release' | 'refund' | 'split';

export interface TradeFacts {
  status: TradeStatus;
  buyerId: string;
  sellerId: string;
  paymentDeadline: Date;
  closedBy: ClosedBy | null;
  resolutionOutcome: ResolveOutcome | null;
  /** The buyer's part of a split resolution. */
  resolutionBuyerAmount?: bigint | null;
}

export interface Actor {
  id: string;
  roles: readonly string[];
}

export type Viewer = 'buyer' | 'seller' | 'moderator' | 'none';

export type Decision =
  | { type: 'apply'; to: TradeStatus; money: MoneyMove; closedBy: ClosedBy | null }
  | { type: 'noop' }
  | { type: 'reject'; httpStatus: 403 | 404 | 409; code: TransactionsErrorCode; message: string };

const STAFF_ROLES = ['moderator', 'admin'];

export function isStaff(actor: Actor): boolean {
  return actor.roles.some((r) => STAFF_ROLES.includes(r));
}

/** How the actor relates to the trade. Parties come first: a moderator who trades is a party there. */
export function viewerOf(trade: Pick<TradeFacts, 'buyerId' | 'sellerId'>, actor: Actor): Viewer {
  if (actor.id === trade.buyerId) return 'buyer';
  if (actor.id === trade.sellerId) return 'seller';
  return isStaff(actor) ? 'moderator' : 'none';
}

/** Participants and staff may read a trade (and its chat); everyone else is told it does not exist. */
export function canRead(trade: Pick<TradeFacts, 'buyerId' | 'sellerId'>, actor: Actor): boolean {
  return viewerOf(trade, actor) !== 'none';
}

const notFound: Decision = { type: 'reject', httpStatus: 404, code: 'trade_not_found', message: 'No such trade.' };

function invalid(trade: TradeFacts, message: string, code: TransactionsErrorCode = 'invalid_transition'): Decision {
  return { type: 'reject', httpStatus: 409, code, message: `${message} (the trade is ${trade.status}).` };
}

/** A party asking for the other party's action: an illegal transition like any other (409 + status). */
function wrongParty(trade: TradeFacts, message: string): Decision {
  return { type: 'reject', httpStatus: 409, code: 'wrong_party', message: `${message} (the trade is ${trade.status}).` };
}

function deadlinePassed(trade: TradeFacts, now: Date): boolean {
  return now.getTime() >= trade.paymentDeadline.getTime();
}

export function decidePartyAction(trade: TradeFacts, actor: Actor, action: PartyAction, now: Date): Decision {
  const viewer = viewerOf(trade, actor);
  if (viewer === 'none') return notFound;
  if (viewer === 'moderator') {
    return {
      type: 'reject',
      httpStatus: 403,
      code: 'not_a_party',
      message: 'Only the buyer and the seller act on a trade; moderators resolve disputes at /admin/trades/{id}/resolve.',
    };
  }
  switch (action) {
    case 'paid':
      if (viewer !== 'buyer') return wrongParty(trade, 'Only the buyer marks the payment as sent');
      if (trade.status === 'paid') return { type: 'noop' };
      if (trade.status !== 'escrowed') return invalid(trade, 'The payment can only be marked as sent while the trade is escrowed');
      if (deadlinePassed(trade, now)) {
        return invalid(trade, 'The payment window has passed; the trade can no longer be marked as paid', 'payment_window_expired');
      }
      return { type: 'apply', to: 'paid', money: 'none', closedBy: null };

    case 'release':
      if (viewer !== 'seller') return wrongParty(trade, 'Only the seller confirms the payment was received and releases the XMR');
      if (trade.status === 'completed' && trade.closedBy === 'release') return { type: 'noop' };
      if (trade.status !== 'paid') {
        return invalid(trade, 'The XMR can only be released once the buyer has marked the payment as sent');
      }
      return { type: 'apply', to: 'completed', money: 'release', closedBy: 'release' };

    case 'cancel':
      if (trade.status === 'cancelled' && (trade.closedBy === 'cancel' || trade.closedBy === 'expire')) return { type: 'noop' };
      if (trade.status !== 'escrowed') {
        return invalid(
          trade,
          viewer === 'buyer'
            ? 'The buyer can cancel only before marking the payment as sent'
            : 'The seller can cancel only an unpaid trade after its payment window',
        );
      }
      if (viewer === 'seller' && !deadlinePassed(trade, now)) {
        return invalid(trade, 'The seller can cancel only once the payment window has passed', 'payment_window_open');
      }
      return { type: 'apply', to: 'cancelled', money: 'refund', closedBy: 'cancel' };

    case 'dispute':
      if (trade.status === 'disputed') return { type: 'noop' };
      if (trade.status === 'paid') return { type: 'apply', to: 'disputed', money: 'none', closedBy: null };
      if (trade.status === 'escrowed') {
        if (deadlinePassed(trade, now)) return { type: 'apply', to: 'disputed', money: 'none', closedBy: null };
        return invalid(
          trade,
          'A dispute can be opened once the payment is marked as sent or the payment window has passed',
          'payment_window_open',
        );
      }
      return invalid(trade, 'A finished trade cannot be disputed');
  }
}

/** A moderator's (or admin's) decision on a disputed trade. */
export function decideResolution(trade: TradeFacts, actor: Actor, outcome: ResolveOutcome, buyerAmount?: bigint): Decision {
  if (!isStaff(actor))
    return { type: 'reject', httpStatus: 403, code: 'forbidden', message: 'Only moderators and admins resolve disputes.' };
  if (actor.id === trade.buyerId || actor.id === trade.sellerId) {
    return {
      type: 'reject',
      httpStatus: 403,
      code: 'own_trade',
      message: 'You are a party to this trade: another moderator must resolve it.',
    };
  }
  // Only the very same decision is a harmless repeat; a split with another amount is refused below.
  const sameSplit = outcome !== 'split' || trade.resolutionBuyerAmount === buyerAmount;
  if (trade.closedBy === 'resolve' && trade.resolutionOutcome === outcome && sameSplit) return { type: 'noop' };
  if (trade.status !== 'disputed') return invalid(trade, 'Only a disputed trade can be resolved');
  switch (outcome) {
    case 'release':
      return { type: 'apply', to: 'completed', money: 'release', closedBy: 'resolve' };
    case 'refund':
      return { type: 'apply', to: 'cancelled', money: 'refund', closedBy: 'resolve' };
    case 'split':
      return { type: 'apply', to: 'completed', money: 'split', closedBy: 'resolve' };
  }
}

/** The background sweep: an escrowed trade whose payment window passed is cancelled. */
export function decideExpiry(trade: TradeFacts, now: Date): Decision {
  if (trade.status !== 'escrowed') return invalid(trade, 'Only an escrowed trade expires');
  if (!deadlinePassed(trade, now)) return invalid(trade, 'The payment window is still open', 'payment_window_open');
  return { type: 'apply', to: 'cancelled', money: 'refund', closedBy: 'expire' };
}

/** The actions the actor could take right now (for the UI's buttons). */
export function availableActions(trade: TradeFacts, actor: Actor, now: Date): PartyAction[] {
  return PARTY_ACTIONS.filter((action) => decidePartyAction(trade, actor, action, now).type === 'apply');
}
