import { z } from 'zod';
import { formatXmr } from '@pupero/money';
import { iso, isoOrNull } from '@pupero/db';
import { userRefSchema } from '../shared/schemas.js';
import { PARTY_ACTIONS, TRADE_STATUSES, availableActions, viewerOf, type Actor } from './state-machine.js';
import { factsOf, type TradeRow } from './trade-store.js';

export const tradeSchema = z.object({
  id: z.string(),
  offer_id: z.string(),
  offer_side: z.enum(['sell', 'buy']),
  buyer: userRefSchema,
  seller: userRefSchema,
  amount: z.string().describe('XMR the buyer receives'),
  fee: z.string().describe('platform fee in XMR, paid by the seller on top of the amount'),
  price: z.string().describe('fiat per 1 XMR, snapshotted from the offer'),
  fiat_amount: z.string().describe('fiat the buyer pays: amount x price, rounded to cents'),
  currency: z.string(),
  payment_method: z.string(),
  terms: z.string(),
  payment_window_minutes: z.number().int(),
  status: z.enum(TRADE_STATUSES as [string, ...string[]]),
  payment_deadline: z.string(),
  paid_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  dispute: z.object({ reason: z.string(), opened_by: userRefSchema, created_at: z.string() }).nullable(),
  resolution: z
    .object({
      outcome: z.enum(['release', 'refund', 'split']),
      buyer_amount: z.string(),
      note: z.string(),
      resolved_by: userRefSchema,
      created_at: z.string(),
    })
    .nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  my_role: z.enum(['buyer', 'seller', 'moderator']).optional().describe("the caller's part in this trade"),
  available_actions: z
    .array(z.enum(PARTY_ACTIONS as [string, ...string[]]))
    .optional()
    .describe('what the caller may do now'),
});

export type TradeView = z.infer<typeof tradeSchema>;

/** The public Trade shape. With a viewer, adds what that caller is and may do right now. */
export function tradeView(row: TradeRow, viewer?: { actor: Actor; now: Date }): TradeView {
  const buyer = { id: row.buyer_id, username: row.buyer_username };
  const seller = { id: row.seller_id, username: row.seller_username };
  const view: TradeView = {
    id: row.id,
    offer_id: row.offer_id,
    offer_side: row.offer_side,
    buyer,
    seller,
    amount: formatXmr(row.amount),
    fee: formatXmr(row.fee),
    price: row.price,
    fiat_amount: row.fiat_amount,
    currency: row.currency,
    payment_method: row.payment_method,
    terms: row.terms,
    payment_window_minutes: row.payment_window_minutes,
    status: row.status,
    payment_deadline: iso(row.payment_deadline),
    paid_at: isoOrNull(row.paid_at),
    completed_at: isoOrNull(row.completed_at),
    cancelled_at: isoOrNull(row.cancelled_at),
    dispute:
      row.dispute_reason !== null && row.disputed_by && row.disputed_at
        ? { reason: row.dispute_reason, opened_by: row.disputed_by === buyer.id ? buyer : seller, created_at: iso(row.disputed_at) }
        : null,
    resolution:
      row.resolution_outcome && row.resolved_by && row.resolved_at
        ? {
            outcome: row.resolution_outcome,
            buyer_amount: formatXmr(row.resolution_buyer_amount ?? 0n),
            note: row.resolution_note ?? '',
            resolved_by: { id: row.resolved_by, username: row.resolved_by_username ?? '' },
            created_at: iso(row.resolved_at),
          }
        : null,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
  if (viewer) {
    const role = viewerOf(factsOf(row), viewer.actor);
    if (role !== 'none') view.my_role = role;
    view.available_actions = availableActions(factsOf(row), viewer.actor, viewer.now);
  }
  return view;
}
