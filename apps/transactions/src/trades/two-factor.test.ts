import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack, TestUser } from '@pupero/stack/testing';
import {
  balanceOf,
  createOffer,
  enableTwoFactor,
  expectLedgerOk,
  fund,
  startTrade,
  startTradesStack,
  totpCode,
} from '../testing/helpers.js';

/**
 * The second factor on every action that can send a user's XMR to someone else, through the
 * gateway against the real Login API (codes from Debian's oathtool). The attack it closes: with a
 * victim's stolen session, publish a buy offer from your own account, take it as the victim (the
 * victim becomes the seller and the victim's XMR is held), release with the victim's token, then
 * withdraw from your own account. Withdrawals already asked for a code; trades did not.
 */
describe('trades: the second factor', () => {
  // The setup of trades.test.ts: its shared part is startTradesStack/expectLedgerOk; the hooks stay to bind this suite's variables.
  let stack: TestStack;
  let admin: TestUser;
  let moderator: TestUser;

  beforeAll(async () => {
    ({ stack, admin, moderator } = await startTradesStack());
  });
  afterEach(async () => expectLedgerOk(stack, admin));
  afterAll(async () => stack?.close());

  const post = (path: string, token: string, body?: unknown) => stack.request('POST', path, body, { token });
  const tradesOf = async (user: { token: string }) =>
    (await stack.request('GET', '/trades', undefined, { token: user.token })).body.items as unknown[];

  it('closes the trade-based bypass end to end: a stolen session cannot put the victim’s XMR into a trade nor release it', async () => {
    const victim = await stack.newUser('victim');
    const attacker = await stack.newUser('attacker');
    await fund(stack, victim, '5');
    const { secret, recoveryCodes } = await enableTwoFactor(stack, victim);
    // The attacker's own buy offer: whoever takes it sells XMR to the attacker.
    const bait = await createOffer(stack, attacker, { side: 'buy', min_amount: '0.1', max_amount: '5' });

    // 1. With the victim's access token, the attacker takes the offer as the victim: refused, nothing held.
    const noCode = await post('/trades', victim.token, { offer_id: bait.id, amount: '4' });
    expect(noCode.status).toBe(401);
    expect(noCode.body.error).toMatchObject({ code: 'two_factor_required', details: { reason: 'missing_code' } });
    const guessed = await post('/trades', victim.token, {
      offer_id: bait.id,
      amount: '4',
      totp_code: totpCode(secret) === '000000' ? '111111' : '000000',
    });
    expect(guessed.status).toBe(401);
    expect(guessed.body.error).toMatchObject({ code: 'two_factor_required', details: { reason: 'invalid_code' } });

    // 2. The same with the victim's refresh token: a new access token, the same refusal.
    const refreshed = await stack.request('POST', '/auth/refresh', { refresh_token: victim.refreshToken });
    expect(refreshed.status).toBe(200);
    const viaRefresh = await post('/trades', refreshed.body.access_token, { offer_id: bait.id, amount: '4' });
    expect(viaRefresh.status).toBe(401);
    expect(viaRefresh.body.error.code).toBe('two_factor_required');
    const viaRefreshIdem = await stack.request(
      'POST',
      '/trades',
      { offer_id: bait.id, amount: '4' },
      {
        token: refreshed.body.access_token,
        headers: { 'idempotency-key': `steal-${victim.id}` },
      },
    );
    expect(viaRefreshIdem.status).toBe(401);

    expect(await balanceOf(stack, victim)).toMatchObject({ available: '5', held: '0' });
    expect(await tradesOf(victim)).toEqual([]);
    expect(await tradesOf(attacker)).toEqual([]);

    // 3. The victim (with a code) does sell to that offer: trade A. A used recovery code does not work twice.
    const tradeA = await post('/trades', victim.token, { offer_id: bait.id, amount: '1', recovery_code: recoveryCodes[0] });
    expect(tradeA.status, JSON.stringify(tradeA.body)).toBe(201);
    expect(tradeA.body).toMatchObject({ seller: { id: victim.id }, buyer: { id: attacker.id }, status: 'escrowed' });
    const replayedRecovery = await post('/trades', victim.token, { offer_id: bait.id, amount: '1', recovery_code: recoveryCodes[0] });
    expect(replayedRecovery.status).toBe(401);
    const tradeB = await post('/trades', victim.token, { offer_id: bait.id, amount: '2', recovery_code: recoveryCodes[1] });
    expect(tradeB.status).toBe(201);
    expect(await balanceOf(stack, victim)).toMatchObject({ available: '1.97', held: '3.03' });

    // 4. Release: the transition is checked before the code, so a release from escrowed is 409 and uses up nothing.
    const code = totpCode(secret, 1); // the next step: the current one enabled 2FA
    const early = await post(`/trades/${tradeA.body.id}/release`, victim.token, { totp_code: code });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'escrowed' } });
    for (const t of [tradeA, tradeB]) expect((await post(`/trades/${t.body.id}/paid`, attacker.token)).status).toBe(200);

    const releaseNoCode = await post(`/trades/${tradeA.body.id}/release`, victim.token);
    expect(releaseNoCode.status).toBe(401);
    expect(releaseNoCode.body.error).toMatchObject({ code: 'two_factor_required', details: { reason: 'missing_code' } });
    const releaseEmpty = await post(`/trades/${tradeA.body.id}/release`, refreshed.body.access_token, {});
    expect(releaseEmpty.status).toBe(401);
    expect((await stack.request('GET', `/trades/${tradeA.body.id}`, undefined, { token: victim.token })).body.status).toBe('paid');
    expect(await balanceOf(stack, attacker)).toMatchObject({ available: '0' });

    const released = await post(`/trades/${tradeA.body.id}/release`, victim.token, { totp_code: code });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.status).toBe('completed');
    expect(await balanceOf(stack, attacker)).toMatchObject({ available: '1' });
    // A repeat of a release that took effect answers the unchanged trade and moves nothing.
    expect((await post(`/trades/${tradeA.body.id}/release`, victim.token, { totp_code: code })).status).toBe(200);

    // 5. The same TOTP code again (on trade B): refused, B stays paid, nothing moves.
    const replay = await post(`/trades/${tradeB.body.id}/release`, victim.token, { totp_code: code });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'two_factor_required', details: { reason: 'invalid_code' } });
    expect((await stack.request('GET', `/trades/${tradeB.body.id}`, undefined, { token: victim.token })).body.status).toBe('paid');
    expect(await balanceOf(stack, attacker)).toMatchObject({ available: '1' });
    expect(await balanceOf(stack, victim)).toMatchObject({ held: '2.02' });

    // Both fields at once are refused, as at login.
    const both = await post(`/trades/${tradeB.body.id}/release`, victim.token, { totp_code: code, recovery_code: recoveryCodes[2] });
    expect([both.status, both.body.error.code]).toEqual([400, 'validation_failed']);
    const withRecovery = await post(`/trades/${tradeB.body.id}/release`, victim.token, { recovery_code: recoveryCodes[2] });
    expect(withRecovery.status).toBe(200);
    expect(await balanceOf(stack, attacker)).toMatchObject({ available: '3' });
    expect(await balanceOf(stack, victim)).toMatchObject({ available: '1.97', held: '0' });
  });

  it('a buyer with 2FA needs no code to start a trade or mark it paid; a moderator resolves without one', async () => {
    const seller = await stack.newUser('seller2fa');
    const buyer = await stack.newUser('buyer2fa');
    await fund(stack, seller, '3');
    const { recoveryCodes } = await enableTwoFactor(stack, seller);
    await enableTwoFactor(stack, buyer);
    const offer = await createOffer(stack, seller); // a sell offer: the taker buys
    const trade = await startTrade(stack, buyer, offer.id, '1');
    expect(trade.status, JSON.stringify(trade.body)).toBe(201);
    expect((await post(`/trades/${trade.body.id}/paid`, buyer.token)).status).toBe(200);
    expect((await post(`/trades/${trade.body.id}/dispute`, buyer.token, { reason: 'The seller does not release.' })).status).toBe(200);
    // Disputed: only a moderator decides, without anyone's code.
    expect((await post(`/trades/${trade.body.id}/release`, seller.token, { recovery_code: recoveryCodes[0] })).status).toBe(409);
    const resolved = await post(`/admin/trades/${trade.body.id}/resolve`, moderator.token, {
      outcome: 'release',
      note: 'Payment proof in the chat.',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.status).toBe('completed');
    expect(await balanceOf(stack, buyer)).toMatchObject({ available: '1' });
    // The 409 above used up nothing: the recovery code still works (here: for a trade start as the seller).
    const buyOffer = await createOffer(stack, buyer, { side: 'buy' });
    expect((await post('/trades', seller.token, { offer_id: buyOffer.id, amount: '0.5', recovery_code: recoveryCodes[0] })).status).toBe(
      201,
    );
  });

  it('a user without 2FA releases and sells without a code (a code sent anyway is not looked at)', async () => {
    const seller = await stack.newUser('plain');
    const owner = await stack.newUser('owner');
    await fund(stack, seller, '2');
    const offer = await createOffer(stack, owner, { side: 'buy' });
    const trade = await post('/trades', seller.token, { offer_id: offer.id, amount: '1' });
    expect(trade.status).toBe(201);
    expect((await post(`/trades/${trade.body.id}/paid`, owner.token)).status).toBe(200);
    expect((await post(`/trades/${trade.body.id}/release`, seller.token, { totp_code: '123456' })).status).toBe(200);
    expect(await balanceOf(stack, owner)).toMatchObject({ available: '1' });
  });

  it('the OpenAPI document shows the new request fields and response codes', async () => {
    const doc = (await stack.request('GET', '/openapi.json')).body;
    const bodyOf = (op: any) => op.requestBody.content['application/json'].schema;
    const start = doc.paths['/trades'].post;
    expect(Object.keys(bodyOf(start).properties)).toEqual(
      expect.arrayContaining(['offer_id', 'amount', 'price', 'totp_code', 'recovery_code']),
    );
    expect(bodyOf(start).required).toEqual(expect.arrayContaining(['offer_id', 'amount']));
    expect(bodyOf(start).required).not.toContain('price');
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '404', '409', '429']));
    expect(start.description).toMatch(/price_changed/);
    const release = doc.paths['/trades/{id}/release'].post;
    expect(Object.keys(bodyOf(release).properties ?? bodyOf(release).anyOf?.find((s: any) => s.properties)?.properties ?? {})).toEqual([
      'totp_code',
      'recovery_code',
    ]);
    expect(Object.keys(release.responses)).toEqual(expect.arrayContaining(['200', '401', '409', '429']));
    expect(release.description).toMatch(/two_factor_required/);
  });

  it('refuses a price change before the code: a 409 price_changed uses up no code', async () => {
    const seller = await stack.newUser('pricey');
    const owner = await stack.newUser('buyowner');
    await fund(stack, seller, '2');
    const { recoveryCodes } = await enableTwoFactor(stack, seller);
    const offer = await createOffer(stack, owner, { side: 'buy', price: '100' });
    const stale = await post('/trades', seller.token, { offer_id: offer.id, amount: '1', price: '99', recovery_code: recoveryCodes[0] });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'price_changed', details: { price: offer.effective_price } });
    const ok = await post('/trades', seller.token, {
      offer_id: offer.id,
      amount: '1',
      price: offer.effective_price,
      recovery_code: recoveryCodes[0],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });
});
