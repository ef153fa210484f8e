import { describe, expect, it } from 'vitest';
import {
  PARTY_ACTIONS,
  TRADE_STATUSES,
  availableActions,
  canRead,
  decideExpiry,
  decidePartyAction,
  decideResolution,
  type Actor,
  type ClosedBy,
  type PartyAction,
  type TradeFacts,
  type TradeStatus,
} from './state-machine.js';

const DEADLINE = new Date('2030-01-01T12:00:00Z');
const BEFORE = new Date(DEADLINE.getTime() - 1);
const AT = DEADLINE; // the deadline itself counts as passed
const AFTER = new Date(DEADLINE.getTime() + 60_000);

const buyer: Actor = { id: 'b', roles: ['user'] };
const seller: Actor = { id: 's', roles: ['user'] };
const moderator: Actor = { id: 'm', roles: ['user', 'moderator'] };
const admin: Actor = { id: 'a', roles: ['admin'] };
const stranger: Actor = { id: 'x', roles: ['user'] };
const ACTORS = { buyer, seller, moderator, admin, stranger };
type Who = keyof typeof ACTORS;

/** Every reachable (status, closedBy) combination. */
const STATES: Array<{ status: TradeStatus; closedBy: ClosedBy | null; outcome?: 'release' | 'refund' | 'split' }> = [
  { status: 'escrowed', closedBy: null },
  { status: 'paid', closedBy: null },
  { status: 'disputed', closedBy: null },
  { status: 'completed', closedBy: 'release' },
  { status: 'completed', closedBy: 'resolve', outcome: 'release' },
  { status: 'completed', closedBy: 'resolve', outcome: 'split' },
  { status: 'cancelled', closedBy: 'cancel' },
  { status: 'cancelled', closedBy: 'expire' },
  { status: 'cancelled', closedBy: 'resolve', outcome: 'refund' },
];

function trade(status: TradeStatus, closedBy: ClosedBy | null = null, outcome: TradeFacts['resolutionOutcome'] = null): TradeFacts {
  return { status, buyerId: 'b', sellerId: 's', paymentDeadline: DEADLINE, closedBy, resolutionOutcome: outcome };
}

/** The complete list of legal transitions of the contract (anything else must be refused). */
const LEGAL: Array<{
  from: TradeStatus;
  who: 'buyer' | 'seller';
  action: PartyAction;
  when: 'before' | 'after' | 'any';
  to: TradeStatus;
  money: string;
}> = [
  { from: 'escrowed', who: 'buyer', action: 'paid', when: 'before', to: 'paid', money: 'none' },
  { from: 'paid', who: 'seller', action: 'release', when: 'any', to: 'completed', money: 'release' },
  { from: 'escrowed', who: 'buyer', action: 'cancel', when: 'any', to: 'cancelled', money: 'refund' },
  { from: 'escrowed', who: 'seller', action: 'cancel', when: 'after', to: 'cancelled', money: 'refund' },
  { from: 'paid', who: 'buyer', action: 'dispute', when: 'any', to: 'disputed', money: 'none' },
  { from: 'paid', who: 'seller', action: 'dispute', when: 'any', to: 'disputed', money: 'none' },
  { from: 'escrowed', who: 'buyer', action: 'dispute', when: 'after', to: 'disputed', money: 'none' },
  { from: 'escrowed', who: 'seller', action: 'dispute', when: 'after', to: 'disputed', money: 'none' },
];

/** Repeats of an action that already took effect: answered with the unchanged trade. */
function isRepeat(state: (typeof STATES)[number], who: Who, action: PartyAction): boolean {
  if (action === 'paid') return state.status === 'paid' && who === 'buyer';
  if (action === 'release') return state.status === 'completed' && state.closedBy === 'release' && who === 'seller';
  if (action === 'cancel')
    return (
      state.status === 'cancelled' && (state.closedBy === 'cancel' || state.closedBy === 'expire') && (who === 'buyer' || who === 'seller')
    );
  return state.status === 'disputed' && (who === 'buyer' || who === 'seller');
}

describe('trade state machine: party actions (exhaustive)', () => {
  const cases = [];
  for (const state of STATES)
    for (const who of Object.keys(ACTORS) as Who[])
      for (const action of PARTY_ACTIONS) for (const now of [BEFORE, AT, AFTER]) cases.push({ state, who, action, now });

  it.each(cases)('$state.status/$state.closedBy · $who · $action · $now', ({ state, who, action, now }) => {
    const decision = decidePartyAction(trade(state.status, state.closedBy, state.outcome ?? null), ACTORS[who], action, now);
    const passed = now.getTime() >= DEADLINE.getTime();
    const legal = LEGAL.find(
      (l) => l.from === state.status && l.who === who && l.action === action && (l.when === 'any' || (l.when === 'after') === passed),
    );
    if (who === 'stranger') {
      expect(decision).toMatchObject({ type: 'reject', httpStatus: 404, code: 'trade_not_found' });
    } else if (who === 'moderator' || who === 'admin') {
      expect(decision).toMatchObject({ type: 'reject', httpStatus: 403, code: 'not_a_party' });
    } else if (legal) {
      expect(decision).toEqual({
        type: 'apply',
        to: legal.to,
        money: legal.money,
        closedBy: legal.to === 'completed' ? 'release' : legal.to === 'cancelled' ? 'cancel' : null,
      });
    } else if (isRepeat(state, who, action)) {
      expect(decision).toEqual({ type: 'noop' });
    } else if ((action === 'paid' && who === 'seller') || (action === 'release' && who === 'buyer')) {
      expect(decision).toMatchObject({ type: 'reject', httpStatus: 409, code: 'wrong_party' });
      expect((decision as { message: string }).message).toContain(state.status);
    } else {
      expect(decision.type).toBe('reject');
      const reject = decision as Extract<typeof decision, { type: 'reject' }>;
      expect(reject.httpStatus).toBe(409);
      expect(['invalid_transition', 'payment_window_expired', 'payment_window_open']).toContain(reject.code);
      expect(reject.message).toContain(state.status);
    }
  });

  it('covers every status', () => {
    expect(new Set(STATES.map((s) => s.status))).toEqual(new Set(TRADE_STATUSES));
  });

  it('names the specific reason for deadline refusals', () => {
    expect(decidePartyAction(trade('escrowed'), buyer, 'paid', AFTER)).toMatchObject({ code: 'payment_window_expired', httpStatus: 409 });
    expect(decidePartyAction(trade('escrowed'), seller, 'cancel', BEFORE)).toMatchObject({ code: 'payment_window_open', httpStatus: 409 });
    expect(decidePartyAction(trade('escrowed'), buyer, 'dispute', BEFORE)).toMatchObject({ code: 'payment_window_open', httpStatus: 409 });
    expect(decidePartyAction(trade('completed', 'release'), buyer, 'dispute', AFTER)).toMatchObject({ code: 'invalid_transition' });
  });

  it('refuses a release before the buyer marked the trade paid, naming the status', () => {
    for (const now of [BEFORE, AFTER]) {
      const decision = decidePartyAction(trade('escrowed'), seller, 'release', now);
      expect(decision).toMatchObject({ type: 'reject', httpStatus: 409, code: 'invalid_transition' });
      expect((decision as { message: string }).message).toContain('escrowed');
    }
  });

  it('treats a moderator who is a party as that party', () => {
    const modBuyer: Actor = { id: 'b', roles: ['moderator'] };
    expect(decidePartyAction(trade('escrowed'), modBuyer, 'paid', BEFORE)).toMatchObject({ type: 'apply', to: 'paid' });
  });
});

describe('trade state machine: resolution', () => {
  it.each(STATES)('$status/$closedBy/$outcome', (state) => {
    for (const outcome of ['release', 'refund', 'split'] as const) {
      const facts = trade(state.status, state.closedBy, state.outcome ?? null);
      const decision = decideResolution(facts, moderator, outcome);
      if (state.status === 'disputed') {
        expect(decision).toEqual({
          type: 'apply',
          to: outcome === 'refund' ? 'cancelled' : 'completed',
          money: outcome,
          closedBy: 'resolve',
        });
      } else if (state.closedBy === 'resolve' && state.outcome === outcome) {
        expect(decision).toEqual({ type: 'noop' });
      } else {
        expect(decision).toMatchObject({ type: 'reject', httpStatus: 409, code: 'invalid_transition' });
      }
      expect(decideResolution(facts, admin, outcome).type).toBe(decision.type);
      expect(decideResolution(facts, buyer, outcome)).toMatchObject({ type: 'reject', httpStatus: 403, code: 'forbidden' });
      expect(decideResolution(facts, stranger, outcome)).toMatchObject({ type: 'reject', httpStatus: 403 });
    }
  });

  it('does not let a moderator resolve a trade they are a party to', () => {
    const modSeller: Actor = { id: 's', roles: ['moderator'] };
    expect(decideResolution(trade('disputed'), modSeller, 'refund')).toMatchObject({ type: 'reject', httpStatus: 403, code: 'own_trade' });
  });

  it('repeats a split only with the same buyer amount; another amount is refused', () => {
    const split = { ...trade('completed'), closedBy: 'resolve' as const, resolutionOutcome: 'split' as const, resolutionBuyerAmount: 5n };
    expect(decideResolution(split, moderator, 'split', 5n)).toEqual({ type: 'noop' });
    expect(decideResolution(split, moderator, 'split', 6n)).toMatchObject({ type: 'reject', httpStatus: 409 });
  });
});

describe('trade state machine: expiry sweep', () => {
  it('cancels only escrowed trades at or past the deadline', () => {
    for (const state of STATES) {
      for (const now of [BEFORE, AT, AFTER]) {
        const decision = decideExpiry(trade(state.status, state.closedBy), now);
        if (state.status === 'escrowed' && now >= DEADLINE)
          expect(decision).toEqual({ type: 'apply', to: 'cancelled', money: 'refund', closedBy: 'expire' });
        else expect(decision.type).toBe('reject');
      }
    }
  });
});

describe('trade state machine: reading and buttons', () => {
  it('lets parties and staff read, nobody else', () => {
    const facts = trade('paid');
    expect([buyer, seller, moderator, admin, stranger].map((a) => canRead(facts, a))).toEqual([true, true, true, true, false]);
  });

  it('offers exactly the legal actions', () => {
    expect(availableActions(trade('escrowed'), buyer, BEFORE)).toEqual(['paid', 'cancel']);
    expect(availableActions(trade('escrowed'), buyer, AFTER)).toEqual(['cancel', 'dispute']);
    expect(availableActions(trade('escrowed'), seller, BEFORE)).toEqual([]);
    expect(availableActions(trade('escrowed'), seller, AFTER)).toEqual(['cancel', 'dispute']);
    expect(availableActions(trade('paid'), seller, BEFORE)).toEqual(['release', 'dispute']);
    expect(availableActions(trade('paid'), buyer, BEFORE)).toEqual(['dispute']);
    expect(availableActions(trade('disputed'), buyer, AFTER)).toEqual([]);
    expect(availableActions(trade('paid'), moderator, AFTER)).toEqual([]);
  });
});
