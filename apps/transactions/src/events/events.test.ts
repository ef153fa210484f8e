import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type PuperoService } from '@pupero/http';
import { freePort, startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { createTransactionsService } from '../index.js';
import { balanceOf, createOffer, expectLedgerOk, expireWindow, fund, startTrade } from '../testing/helpers.js';
import { openSse, type SseStream } from '../testing/sse-client.js';

/** Live updates over Server-Sent Events, read with a real streaming fetch through the gateway. */
describe('live events (SSE) and the expiry sweep', () => {
  let stack: TestStack;
  let admin: TestUser;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ services: ['login', 'offers', 'transactions'], env: { TRADE_SWEEP_INTERVAL_MS: '200' } });
    admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await expectLedgerOk(stack, admin);
  });
  afterAll(async () => stack?.close());

  async function sse(path: string, user?: TestUser, headers: Record<string, string> = {}): Promise<SseStream> {
    const separator = path.includes('?') ? '&' : '?';
    const url = user ? `${stack.url}${path}${separator}access_token=${encodeURIComponent(user.token)}` : `${stack.url}${path}`;
    const stream = await openSse(url, headers);
    streams.push(stream);
    return stream;
  }

  async function pair() {
    const seller = await stack.newUser('seller');
    const buyer = await stack.newUser('buyer');
    await fund(stack, seller, '3');
    const offer = await createOffer(stack, seller);
    return { seller, buyer, offer };
  }

  it('streams my new trades, status changes and messages on GET /events', async () => {
    const { seller, buyer, offer } = await pair();
    const mine = await sse('/events', seller);
    expect(mine.status).toBe(200);
    expect(mine.contentType).toMatch(/^text\/event-stream/);
    await mine.waitFor((e) => e.event === 'ready');

    const trade = (await startTrade(stack, buyer, offer.id, '1')).body;
    const created = await mine.waitFor((e) => e.event === 'trade_created');
    expect(created.data).toMatchObject({
      trade_id: trade.id,
      status: 'escrowed',
      trade: { id: trade.id, amount: '1' },
      actor: { id: buyer.id },
    });
    expect(created.id).toMatch(/^\d+$/);

    await stack.request('POST', `/trades/${trade.id}/paid`, undefined, { token: buyer.token });
    expect((await mine.waitFor((e) => e.event === 'trade_paid')).data.trade.status).toBe('paid');
    await stack.request('POST', `/trades/${trade.id}/messages`, { body: 'sent via SEPA' }, { token: buyer.token });
    expect((await mine.waitFor((e) => e.event === 'message')).data.message).toMatchObject({
      body: 'sent via SEPA',
      author: { id: buyer.id },
    });
    await stack.request('POST', `/trades/${trade.id}/release`, undefined, { token: seller.token });
    expect((await mine.waitFor((e) => e.event === 'trade_completed')).data.status).toBe('completed');

    // Someone else's stream hears nothing of it.
    const stranger = await stack.newUser('stranger');
    const theirs = await sse('/events', stranger);
    await theirs.waitFor((e) => e.event === 'ready');
    await stack.request('POST', `/trades/${trade.id}/messages`, { body: 'thanks' }, { token: seller.token });
    await mine.waitFor((e) => e.event === 'message' && e.data.message.body === 'thanks');
    expect(theirs.events.map((e) => e.event)).toEqual(['ready']);
  });

  it("streams one trade's events to its parties and moderators on GET /trades/{id}/stream; others get 404", async () => {
    const { seller, buyer, offer } = await pair();
    const trade = (await startTrade(stack, buyer, offer.id, '0.5')).body;
    const moderator = await stack.grantRole(await stack.newUser('mod'), 'moderator');
    const watch = await sse(`/trades/${trade.id}/stream`, moderator);
    expect(watch.status).toBe(200);
    await watch.waitFor((e) => e.event === 'ready');
    const buyerView = await sse(`/trades/${trade.id}/stream`, buyer);
    await buyerView.waitFor((e) => e.event === 'ready');

    await stack.request('POST', `/trades/${trade.id}/cancel`, undefined, { token: buyer.token });
    for (const s of [watch, buyerView]) expect((await s.waitFor((e) => e.event === 'trade_cancelled')).data.trade.status).toBe('cancelled');
    expect(seller.id).toBeTruthy();

    const stranger = await stack.newUser('stranger');
    const denied = await sse(`/trades/${trade.id}/stream`, stranger);
    expect(denied.status).toBe(404);
    const anonymous = await sse(`/trades/${trade.id}/stream`);
    expect(anonymous.status).toBe(401);
    const badToken = await openSse(`${stack.url}/events?access_token=not-a-token`);
    expect(badToken.status).toBe(401);
  });

  it('resumes after Last-Event-ID: a reconnecting client gets what it missed, once', async () => {
    const { seller, buyer, offer } = await pair();
    const trade = (await startTrade(stack, buyer, offer.id, '1')).body;
    const first = await sse(`/trades/${trade.id}/stream`, seller);
    await first.waitFor((e) => e.event === 'ready');
    await stack.request('POST', `/trades/${trade.id}/paid`, undefined, { token: buyer.token });
    const paid = await first.waitFor((e) => e.event === 'trade_paid');
    first.close();

    // While disconnected: a message and the release.
    await stack.request('POST', `/trades/${trade.id}/messages`, { body: 'did you get it?' }, { token: buyer.token });
    await stack.request('POST', `/trades/${trade.id}/release`, undefined, { token: seller.token });

    const resumed = await sse(`/trades/${trade.id}/stream`, seller, { 'last-event-id': paid.id! });
    await resumed.waitFor((e) => e.event === 'ready');
    expect(resumed.events.map((e) => e.event)).toEqual(['message', 'trade_completed', 'ready']);
    const viaQuery = await sse(`/events?last_event_id=${paid.id}`, buyer);
    await viaQuery.waitFor((e) => e.event === 'ready');
    expect(viaQuery.events.map((e) => e.event)).toEqual(['message', 'trade_completed', 'ready']);
  });

  it('delivers events written by another replica (the event-log poller)', async () => {
    const { seller, buyer, offer } = await pair();
    const port = await freePort();
    const logger = createLogger({ name: 'replica-2', level: 'warn' });
    const replica: PuperoService = await createTransactionsService({
      common: stack.common,
      db: stack.db,
      logger,
      env: { EVENTS_POLL_MS: '100', TRADE_SWEEP_INTERVAL_MS: '60000' },
    });
    await replica.app.listen({ host: '127.0.0.1', port });
    await replica.start();
    try {
      const onReplica = await openSse(`http://127.0.0.1:${port}/events`, { authorization: `Bearer ${seller.token}` });
      streams.push(onReplica);
      await onReplica.waitFor((e) => e.event === 'ready');
      const trade = (await startTrade(stack, buyer, offer.id, '1')).body; // handled by replica 1 behind the gateway
      const seen = await onReplica.waitFor((e) => e.event === 'trade_created', 5000);
      expect(seen.data.trade_id).toBe(trade.id);
      onReplica.close();
    } finally {
      await replica.stop();
      await replica.app.close();
    }
  });

  it('the sweep cancels unpaid trades past their deadline, releases the hold and tells the parties', async () => {
    const { seller, buyer, offer } = await pair();
    const trade = (await startTrade(stack, buyer, offer.id, '1')).body;
    const paidOne = (await startTrade(stack, buyer, offer.id, '0.5')).body;
    await stack.request('POST', `/trades/${paidOne.id}/paid`, undefined, { token: buyer.token });
    const mine = await sse('/events', buyer);
    await mine.waitFor((e) => e.event === 'ready');
    expect(await balanceOf(stack, seller)).toMatchObject({ held: '1.5' });

    await expireWindow(stack, trade.id);
    await expireWindow(stack, paidOne.id);
    const expired = await mine.waitFor((e) => e.event === 'trade_expired', 5000);
    expect(expired.data).toMatchObject({ trade_id: trade.id, status: 'cancelled', actor: null });
    const view = await stack.request('GET', `/trades/${trade.id}`, undefined, { token: seller.token });
    expect(view.body.status).toBe('cancelled');
    expect(view.body.timeline.at(-1)).toMatchObject({ type: 'trade_expired', actor: null });
    // The paid trade is not touched by the sweep: the buyer said they paid.
    expect((await stack.request('GET', `/trades/${paidOne.id}`, undefined, { token: seller.token })).body.status).toBe('paid');
    expect(await balanceOf(stack, seller)).toMatchObject({ available: '2.5', held: '0.5' });
  });
});
