import { describe, expect, it } from 'vitest';
import type { Trade } from '../api/types';
import { allowedActions, formatTimeLeft, nextStep, roleIn, timelineSteps } from './logic';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const buyer = { id: 'b', username: 'bob' };
const seller = { id: 's', username: 'sam' };
const moderator = { id: 'm', username: 'mia' };

function trade(status: Trade['status'], deadlineOffsetMs = 10 * 60_000): Trade {
  return {
    id: 't1',
    offer_id: 'o1',
    offer_side: 'sell',
    buyer,
    seller,
    amount: '0.5',
    fee: '0',
    price: '150',
    fiat_amount: '75.00',
    currency: 'EUR',
    payment_method: 'SEPA',
    terms: '',
    payment_window_minutes: 30,
    status,
    payment_deadline: new Date(NOW + deadlineOffsetMs).toISOString(),
    paid_at: null,
    completed_at: null,
    cancelled_at: null,
    dispute: null,
    resolution: null,
    created_at: new Date(NOW - 60_000).toISOString(),
    updated_at: new Date(NOW).toISOString(),
  };
}

const actionsOf = (t: Trade, viewer: { id: string; isModerator?: boolean }, now = NOW) =>
  Object.entries(allowedActions(t, viewer, now))
    .filter(([, v]) => v)
    .map(([k]) => k)
    .sort();

describe('trade logic', () => {
  it('knows the role of the viewer', () => {
    expect(roleIn(trade('escrowed'), { id: 'b' })).toBe('buyer');
    expect(roleIn(trade('escrowed'), { id: 's' })).toBe('seller');
    expect(roleIn(trade('escrowed'), { id: 'm', isModerator: true })).toBe('moderator');
    expect(roleIn(trade('escrowed'), { id: 'x' })).toBe('observer');
  });

  it('escrowed, inside the window: the buyer must pay and may cancel; the seller waits', () => {
    const t = trade('escrowed');
    expect(nextStep(t, { id: 'b' }, NOW)).toMatchObject({
      actor: 'buyer',
      yourTurn: true,
      text: expect.stringContaining('Send 75.00 EUR by SEPA'),
    });
    expect(nextStep(t, { id: 's' }, NOW)).toMatchObject({ actor: 'buyer', yourTurn: false });
    expect(actionsOf(t, { id: 'b' })).toEqual(['cancel', 'chat', 'markPaid']);
    // No release before the buyer pressed "paid": when both confirm, the balance moves.
    expect(actionsOf(t, { id: 's' })).toEqual(['chat']);
    expect(actionsOf(t, { id: 'x' })).toEqual([]);
  });

  it('escrowed, window passed: the seller may cancel; both may dispute; the buyer can no longer mark paid', () => {
    const t = trade('escrowed', -1000);
    expect(nextStep(t, { id: 's' }, NOW)).toMatchObject({ actor: 'seller', yourTurn: true });
    expect(actionsOf(t, { id: 's' })).toEqual(['cancel', 'chat', 'dispute']);
    expect(actionsOf(t, { id: 'b' })).toEqual(['cancel', 'chat', 'dispute']);
  });

  it('paid: only the seller releases; either party may dispute; nobody cancels', () => {
    const t = trade('paid');
    expect(nextStep(t, { id: 's' }, NOW)).toMatchObject({ actor: 'seller', yourTurn: true });
    expect(nextStep(t, { id: 'b' }, NOW)).toMatchObject({ actor: 'seller', yourTurn: false });
    expect(actionsOf(t, { id: 's' })).toEqual(['chat', 'dispute', 'release']);
    expect(actionsOf(t, { id: 'b' })).toEqual(['chat', 'dispute']);
    expect(actionsOf(t, { id: 'x' })).toEqual([]);
  });

  it('disputed: a moderator must act; the parties can only chat', () => {
    const t = trade('disputed');
    expect(nextStep(t, { id: 'm', isModerator: true }, NOW)).toMatchObject({ actor: 'moderator', yourTurn: true });
    expect(nextStep(t, { id: 'b' }, NOW)).toMatchObject({ actor: 'moderator', yourTurn: false });
    expect(actionsOf(t, { id: 'm', isModerator: true })).toEqual(['chat', 'resolve']);
    expect(actionsOf(t, { id: 'b' })).toEqual(['chat']);
  });

  it('completed: nobody acts; parties may leave feedback once', () => {
    const t = trade('completed');
    expect(nextStep(t, { id: 'b' }, NOW)).toMatchObject({ actor: null, yourTurn: false });
    expect(actionsOf(t, { id: 'b' })).toEqual(['chat', 'feedback']);
    expect(allowedActions(t, { id: 'b' }, NOW, { feedbackGiven: true }).feedback).toBe(false);
    expect(actionsOf(trade('cancelled'), { id: 's' })).toEqual(['chat']);
  });

  it('says how a moderator decided', () => {
    const split = {
      ...trade('completed'),
      resolution: {
        outcome: 'split' as const,
        buyer_amount: '0.05',
        note: 'n',
        resolved_by: moderator,
        created_at: '2030-01-01T12:30:00Z',
      },
    };
    expect(nextStep(split, { id: 'b' }, NOW).text).toBe(
      'Resolved by a moderator: 0.05 XMR was added to your balance; the seller got the rest back.',
    );
    expect(nextStep(split, { id: 's' }, NOW).text).toMatch(/buyer got 0\.05 XMR/);
    const refund = {
      ...trade('cancelled'),
      resolution: { outcome: 'refund' as const, buyer_amount: '0', note: 'n', resolved_by: moderator, created_at: '2030-01-01T12:30:00Z' },
    };
    expect(nextStep(refund, { id: 's' }, NOW).text).toBe('Resolved by a moderator: the held XMR was returned to you.');
    expect(nextStep(trade('completed'), { id: 'b' }, NOW).text).toBe('Completed: 0.5 XMR was added to your balance.');
  });

  it('formats the time left in the payment window', () => {
    expect(formatTimeLeft(new Date(NOW + 12 * 60_000 + 5_000).toISOString(), NOW)).toBe('12 min 05 s');
    expect(formatTimeLeft(new Date(NOW + 62 * 60_000).toISOString(), NOW)).toBe('1 h 02 min');
    expect(formatTimeLeft(new Date(NOW - 1).toISOString(), NOW)).toBe('expired');
  });

  it('builds the status timeline from the status and the recorded times', () => {
    const steps = (t: Trade) => timelineSteps(t).map((s) => `${s.key}:${s.state}`);
    expect(steps(trade('escrowed'))).toEqual(['escrowed:done', 'paid:current', 'completed:upcoming']);
    expect(steps(trade('paid'))).toEqual(['escrowed:done', 'paid:done', 'completed:current']);
    expect(steps({ ...trade('completed'), paid_at: '2030-01-01T12:01:00Z' })).toEqual(['escrowed:done', 'paid:done', 'completed:done']);
    expect(steps(trade('completed'))).toEqual(['escrowed:done', 'completed:done']); // a moderator's release of an unpaid, disputed trade
    expect(steps(trade('cancelled'))).toEqual(['escrowed:done', 'paid:upcoming', 'cancelled:failed']);
    expect(steps({ ...trade('disputed'), paid_at: '2030-01-01T12:01:00Z' })).toEqual([
      'escrowed:done',
      'paid:done',
      'disputed:current',
      'completed:upcoming',
    ]);
    const expired = {
      ...trade('cancelled'),
      timeline: [{ id: 'e1', type: 'trade_expired', status: 'cancelled', actor: null, note: null, created_at: '2030-01-01T13:00:00Z' }],
    };
    expect(timelineSteps(expired).at(-1)).toMatchObject({
      key: 'cancelled',
      label: expect.stringMatching(/expired/),
      at: '2030-01-01T13:00:00Z',
    });
  });
});
