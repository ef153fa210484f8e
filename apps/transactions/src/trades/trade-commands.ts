import { randomUUID } from 'node:crypto';
import { type Db, inTransaction, isUniqueViolation, type Queryable } from '@pupero/db';
import { serviceUnavailable, type AppError } from '@pupero/http';
import { appError, badRequest, conflict, notFound } from '../shared/errors.js';
import { fiatTotal, formatXmr, parsePrice, parseXmr } from '@pupero/money';
import { ensureUserAccounts, postEntry } from '../ledger/ledger-store.js';
import { tradeHoldEntry, tradeSettlementEntry, type TradeMoney } from '../ledger/posting-rules.js';
import type { EventBus } from '../events/event-bus.js';
import { appendEvent, type EventType, type StoredEvent } from '../events/event-store.js';
import { platformFee } from './fees.js';
import type { OffersClient } from './offers-client.js';
import type { SecondFactorInput, TwoFactorGate } from './two-factor-client.js';
import {
  decideExpiry,
  decidePartyAction,
  decideResolution,
  type Actor,
  type Decision,
  type PartyAction,
  type ResolveOutcome,
} from './state-machine.js';
import {
  claimExpiredTrade,
  countOpenTradesAsTaker,
  factsOf,
  findByIdempotencyKey,
  findTrade,
  insertTrade,
  lockTakerTrades,
  lockTrade,
  updateTrade,
  type TradePatch,
  type TradeRow,
} from './trade-store.js';
import { tradeView } from './trade-view.js';

export interface TradeContext {
  db: Db;
  bus: EventBus;
  offers: OffersClient;
  /** The second factor (Login API) behind every action that can send a user's XMR to someone else. */
  twoFactor: TwoFactorGate;
  /** PLATFORM_FEE_PERCENT */
  feePercent: string;
  /** MAX_OPEN_TRADES_PER_TAKER (0 = no cap) */
  maxOpenTradesPerTaker?: number;
  now: () => Date;
  onEvent?: (type: EventType) => void;
}

export interface ActingUser extends Actor {
  username: string;
}

function moneyOf(row: TradeRow): TradeMoney {
  return { tradeId: row.id, buyerId: row.buyer_id, sellerId: row.seller_id, amount: row.amount, fee: row.fee };
}

function reject(decision: Extract<Decision, { type: 'reject' }>, row: TradeRow): AppError {
  return appError(decision.httpStatus, decision.code, decision.message, decision.httpStatus === 409 ? { status: row.status } : undefined);
}

function publish(ctx: TradeContext, events: StoredEvent[]): void {
  ctx.bus.deliver(events);
  for (const event of events) ctx.onEvent?.(event.type);
}

// Starting a trade ---------------------------------------------------------------------------

export interface StartTradeInput {
  taker: ActingUser;
  offerId: string;
  amount: bigint;
  /** The price (fiat per XMR) the taker saw; refused with price_changed when the offer's price differs now. */
  price?: string;
  /** Needed when the taker becomes the seller and has 2FA on. */
  secondFactor?: SecondFactorInput;
  idempotencyKey?: string;
  requestId?: string;
}

/**
 * Refuses a trade start past the taker's cap of open trades. The per-taker transaction lock makes
 * the count exact even when one taker starts many trades at once.
 */
async function checkOpenTradesCap(tx: Queryable, takerId: string, cap: number): Promise<void> {
  if (cap <= 0) return;
  await lockTakerTrades(tx, takerId);
  const open = await countOpenTradesAsTaker(tx, takerId);
  if (open >= cap) {
    throw conflict(
      'too_many_open_trades',
      `You already have ${open} open trades as the taker (at most ${cap}): finish or cancel one first.`,
      {
        open_trades: open,
        max_open_trades: cap,
      },
    );
  }
}

/**
 * Starts a trade on an offer: the offer is fetched from the Offers API and snapshotted, and the
 * trade row, the seller's hold and the "created" event commit in ONE transaction (or nothing
 * happens: insufficient_funds). With an Idempotency-Key, a repeated request returns the first trade.
 *
 * Order of the checks: everything that needs no lock (offer, amount, price the taker saw) comes
 * first, so those refusals use up no 2FA code; then a taker who becomes the seller proves the
 * second factor (a stolen session must not be able to put its victim's XMR into a trade with the
 * thief); only then does anything change. Refusals found under the locks (insufficient_funds,
 * too_many_open_trades) come after the code was used: ask again with the next code.
 */
export async function startTrade(ctx: TradeContext, input: StartTradeInput): Promise<{ trade: TradeRow; created: boolean }> {
  const fingerprint = `${input.offerId}:${input.amount}`;
  const replay = (existing: TradeRow) => {
    if (existing.request_fingerprint !== fingerprint) {
      throw conflict('idempotency_key_reused', 'This Idempotency-Key was used for a different trade request; use a new key.');
    }
    return { trade: existing, created: false };
  };
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(ctx.db, input.taker.id, input.idempotencyKey);
    if (existing) return replay(existing);
  }

  const offer = await ctx.offers.getOffer(input.offerId, input.requestId);
  if (offer.owner.id === input.taker.id) throw badRequest('own_offer', 'You cannot start a trade on your own offer.');
  if (offer.status !== 'active') throw conflict('offer_not_active', `The offer is ${offer.status}, not active.`, { status: offer.status });
  let minAmount: bigint, maxAmount: bigint, price: bigint;
  try {
    minAmount = parseXmr(offer.min_amount);
    maxAmount = parseXmr(offer.max_amount);
    price = parsePrice(offer.effective_price ?? '');
  } catch {
    if (!offer.effective_price) throw conflict('price_unavailable', 'The offer has no price right now (no market price); try again later.');
    throw serviceUnavailable('offers');
  }
  if (input.amount < minAmount || input.amount > maxAmount) {
    throw badRequest('amount_out_of_range', `The amount must be between ${offer.min_amount} and ${offer.max_amount} XMR for this offer.`, {
      min_amount: offer.min_amount,
      max_amount: offer.max_amount,
    });
  }
  // Compared as numbers ("150.2" is "150.20"): a maker may change a price while the taker looks at it.
  if (input.price !== undefined && parsePrice(input.price) !== price) {
    throw conflict(
      'price_changed',
      `The price of this offer changed to ${offer.effective_price} ${offer.currency} per XMR; check the new total and start again.`,
      {
        price: offer.effective_price,
      },
    );
  }

  const taker = { id: input.taker.id, username: input.taker.username };
  const maker = offer.owner;
  // The offer's side is what its owner does with XMR.
  const [seller, buyer] = offer.side === 'sell' ? [maker, taker] : [taker, maker];
  if (seller.id === taker.id) await ctx.twoFactor.require(taker.id, input.secondFactor ?? {}, input.requestId);
  const now = ctx.now();
  const fee = platformFee(input.amount, ctx.feePercent);
  const id = randomUUID();
  await ensureUserAccounts(ctx.db, [seller.id, buyer.id]);
  try {
    const { trade, event } = await inTransaction(ctx.db, async (tx) => {
      await checkOpenTradesCap(tx, taker.id, ctx.maxOpenTradesPerTaker ?? 0);
      const trade = await insertTrade(tx, {
        id,
        offer_id: offer.id,
        offer_side: offer.side,
        maker_id: maker.id,
        taker_id: taker.id,
        buyer_id: buyer.id,
        buyer_username: buyer.username,
        seller_id: seller.id,
        seller_username: seller.username,
        amount: input.amount,
        fee,
        price: offer.effective_price!,
        fiat_amount: fiatTotal(input.amount, price),
        currency: offer.currency,
        payment_method: offer.payment_method,
        terms: offer.terms ?? '',
        payment_window_minutes: offer.payment_window_minutes,
        payment_deadline: new Date(now.getTime() + offer.payment_window_minutes * 60_000),
        idempotency_key: input.idempotencyKey ?? null,
        request_fingerprint: fingerprint,
        created_at: now,
      });
      const event = await appendEvent(tx, {
        tradeId: trade.id,
        userIds: [buyer.id, seller.id],
        type: 'trade_created',
        actor: taker,
        data: { status: trade.status, trade: tradeView(trade) },
      });
      // Last, so the seller's accounts stay locked only until the commit.
      await postEntry(tx, tradeHoldEntry(moneyOf(trade)));
      return { trade, event };
    });
    publish(ctx, [event]);
    return { trade, created: true };
  } catch (error) {
    if (input.idempotencyKey && isUniqueViolation(error, 'trades_taker_idempotency_key')) {
      const first = await findByIdempotencyKey(ctx.db, input.taker.id, input.idempotencyKey);
      if (first) return replay(first);
    }
    throw error;
  }
}

// Changing a trade's state -------------------------------------------------------------------

const EVENT_OF: Record<PartyAction, EventType> = {
  paid: 'trade_paid',
  release: 'trade_completed',
  cancel: 'trade_cancelled',
  dispute: 'trade_disputed',
};

interface Change {
  actor: { id: string; username: string } | null;
  now: Date;
  eventType: EventType;
  buyerAmount?: bigint;
  disputeReason?: string;
  resolution?: { outcome: ResolveOutcome; note: string };
}

/**
 * Carries out an 'apply' decision on a locked trade: the money move (if any), the status change
 * and the timeline event, all in the caller's transaction.
 */
async function applyDecision(tx: Queryable, row: TradeRow, decision: Extract<Decision, { type: 'apply' }>, change: Change) {
  const patch: TradePatch = { status: decision.to, updated_at: change.now };
  let buyerAmount: bigint | undefined;
  if (decision.money !== 'none') {
    buyerAmount = decision.money === 'release' ? row.amount : decision.money === 'refund' ? 0n : change.buyerAmount!;
    patch.buyer_received = buyerAmount;
  }
  if (decision.closedBy) patch.closed_by = decision.closedBy;
  if (decision.to === 'paid') patch.paid_at = change.now;
  if (decision.to === 'completed') patch.completed_at = change.now;
  if (decision.to === 'cancelled') {
    patch.cancelled_at = change.now;
    patch.cancelled_by = change.actor?.id ?? null;
  }
  if (decision.to === 'disputed') {
    patch.dispute_reason = change.disputeReason ?? '';
    patch.disputed_by = change.actor!.id;
    patch.disputed_at = change.now;
  }
  if (change.resolution) {
    patch.resolution_outcome = change.resolution.outcome;
    patch.resolution_buyer_amount = buyerAmount ?? 0n;
    patch.resolution_note = change.resolution.note;
    patch.resolved_by = change.actor!.id;
    patch.resolved_by_username = change.actor!.username;
    patch.resolved_at = change.now;
  }
  const updated = await updateTrade(tx, row.id, patch);
  const note = change.disputeReason ?? change.resolution?.note;
  const event = await appendEvent(tx, {
    tradeId: row.id,
    userIds: [row.buyer_id, row.seller_id],
    type: change.eventType,
    actor: change.actor,
    data: {
      status: updated.status,
      ...(note !== undefined ? { note } : {}),
      ...(change.resolution ? { outcome: change.resolution.outcome, buyer_amount: formatXmr(buyerAmount ?? 0n) } : {}),
      trade: tradeView(updated),
    },
  });
  // The money moves last: the accounts stay locked only until the commit that follows.
  if (buyerAmount !== undefined) await postEntry(tx, tradeSettlementEntry(moneyOf(row), buyerAmount));
  return { row: updated, event };
}

/** The party actions that send the actor's XMR to someone else: they need the second factor. */
export const NEEDS_SECOND_FACTOR: ReadonlySet<PartyAction> = new Set(['release']);

/**
 * For a release: the transition is checked first (a refused or repeated release uses up no code
 * and answers as before: 409 with the status, or the unchanged trade), then the second factor,
 * before anything changes. The transaction below decides again under the lock, so a trade that
 * moved on in between is still refused there.
 */
async function requireSecondFactor(ctx: TradeContext, input: ActInput): Promise<TradeRow | undefined> {
  const row = await findTrade(ctx.db, input.tradeId);
  if (!row) throw notFound('trade_not_found', 'No such trade.');
  const decision = decidePartyAction(factsOf(row), input.actor, input.action, ctx.now());
  if (decision.type === 'reject') throw reject(decision, row);
  if (decision.type === 'noop') return row;
  await ctx.twoFactor.require(input.actor.id, input.secondFactor ?? {}, input.requestId);
  return undefined;
}

interface ActInput {
  actor: ActingUser;
  tradeId: string;
  action: PartyAction;
  reason?: string;
  /** For a release by a seller who has 2FA on. */
  secondFactor?: SecondFactorInput;
  requestId?: string;
}

/** "I sent money", "I received money", cancel, dispute: checked, idempotent, atomic. */
export async function actOnTrade(ctx: TradeContext, input: ActInput): Promise<TradeRow> {
  if (NEEDS_SECOND_FACTOR.has(input.action)) {
    const unchanged = await requireSecondFactor(ctx, input);
    if (unchanged) return unchanged;
  }
  const outcome = await inTransaction(ctx.db, async (tx) => {
    const row = await lockTrade(tx, input.tradeId);
    if (!row) throw notFound('trade_not_found', 'No such trade.');
    const now = ctx.now();
    const decision = decidePartyAction(factsOf(row), input.actor, input.action, now);
    if (decision.type === 'reject') throw reject(decision, row);
    if (decision.type === 'noop') return { row, event: undefined };
    return applyDecision(tx, row, decision, {
      actor: { id: input.actor.id, username: input.actor.username },
      now,
      eventType: EVENT_OF[input.action],
      disputeReason: input.action === 'dispute' ? input.reason : undefined,
    });
  });
  if (outcome.event) publish(ctx, [outcome.event]);
  return outcome.row;
}

/** A moderator's resolution of a disputed trade: release, refund, or split the held amount. */
export async function resolveTrade(
  ctx: TradeContext,
  input: { actor: ActingUser; tradeId: string; outcome: ResolveOutcome; buyerAmount?: bigint; note: string },
): Promise<TradeRow> {
  const outcome = await inTransaction(ctx.db, async (tx) => {
    const row = await lockTrade(tx, input.tradeId);
    if (!row) throw notFound('trade_not_found', 'No such trade.');
    const decision = decideResolution(factsOf(row), input.actor, input.outcome, input.buyerAmount);
    if (decision.type === 'reject') throw reject(decision, row);
    if (decision.type === 'noop') return { row, event: undefined };
    if (input.outcome === 'split') {
      if (input.buyerAmount === undefined)
        throw badRequest('buyer_amount_required', 'A split needs buyer_amount: the part of the trade amount the buyer gets.');
      if (input.buyerAmount <= 0n || input.buyerAmount >= row.amount) {
        throw badRequest(
          'invalid_buyer_amount',
          `buyer_amount must be above 0 and below the trade amount (${formatXmr(row.amount)} XMR); use release or refund otherwise.`,
          {
            amount: formatXmr(row.amount),
          },
        );
      }
    }
    return applyDecision(tx, row, decision, {
      actor: { id: input.actor.id, username: input.actor.username },
      now: ctx.now(),
      eventType: 'trade_resolved',
      buyerAmount: input.buyerAmount,
      resolution: { outcome: input.outcome, note: input.note },
    });
  });
  if (outcome.event) publish(ctx, [outcome.event]);
  return outcome.row;
}

/**
 * Cancels escrowed trades whose payment window has passed and releases their holds, one trade
 * per transaction (so the lock order stays "trade, then its accounts" as everywhere else).
 * Safe with several replicas: each claims trades with SKIP LOCKED. Returns how many it cancelled.
 */
export async function expireDueTrades(ctx: TradeContext, maxTrades = 1000): Promise<number> {
  let expired = 0;
  while (expired < maxTrades) {
    const outcome = await inTransaction(ctx.db, async (tx) => {
      const now = ctx.now();
      const row = await claimExpiredTrade(tx, now);
      if (!row) return undefined;
      const decision = decideExpiry(factsOf(row), now);
      if (decision.type !== 'apply') return { row, event: undefined };
      return applyDecision(tx, row, decision, { actor: null, now, eventType: 'trade_expired' });
    });
    if (!outcome?.event) break;
    publish(ctx, [outcome.event]);
    expired++;
  }
  return expired;
}
