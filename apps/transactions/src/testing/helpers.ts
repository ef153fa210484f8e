import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestStack, TestUser } from '@pupero/stack/testing';
import { offerBody } from '@pupero/offers/testing/fixtures';

/**
 * Test helpers for the Transactions API through a real stack. Funding goes through the real
 * internal deposit call (what the wallet manager does once a deposit confirms), with the service token.
 */
export async function internalCall<T = any>(
  stack: TestStack,
  method: string,
  path: string,
  body?: unknown,
  token = stack.common.serviceToken,
) {
  const response = await fetch(`${stack.common.urls.transactions}${path}`, {
    method,
    headers: { 'x-service-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export function randomTxid(): string {
  return randomBytes(32).toString('hex');
}

/** Credits `amount` XMR to the user as a confirmed deposit. */
export async function fund(stack: TestStack, user: { id: string }, amount: string): Promise<void> {
  const res = await internalCall(stack, 'POST', '/internal/ledger/deposits', {
    user_id: user.id,
    txid: randomTxid(),
    output_key: '0',
    amount,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function balanceOf(stack: TestStack, user: TestUser): Promise<{ available: string; held: string; pending_deposits: string }> {
  const res = await stack.request('GET', '/balance', undefined, { token: user.token });
  expect(res.status).toBe(200);
  return res.body;
}

/** Publishes an offer through the gateway (the real Offers API). */
export async function createOffer(
  stack: TestStack,
  owner: TestUser,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; [k: string]: any }> {
  const res = await stack.request('POST', '/offers', offerBody({ min_amount: '0.01', max_amount: '5', ...overrides }), {
    token: owner.token,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function startTrade(stack: TestStack, taker: TestUser, offerId: string, amount: string) {
  return stack.request('POST', '/trades', { offer_id: offerId, amount }, { token: taker.token });
}

/** Moves a trade's payment deadline into the past (instead of waiting out the window). */
export async function expireWindow(stack: TestStack, tradeId: string): Promise<void> {
  await stack.db.query(`UPDATE transactions.trades SET payment_deadline = now() - interval '1 minute' WHERE id = $1`, [tradeId]);
}

/** GET /admin/ledger/verify must say ok, with no problems. */
export async function expectLedgerOk(stack: TestStack, admin: TestUser): Promise<void> {
  const res = await stack.request('GET', '/admin/ledger/verify', undefined, { token: admin.token });
  expect(res.status).toBe(200);
  expect(res.body.problems).toEqual([]);
  expect(res.body.ok).toBe(true);
}

/**
 * A TOTP code from Debian's oathtool (independent of the Login API's implementation).
 * `stepsAhead` = 1 is the next 30 s window's code, which the server accepts (±1 step).
 */
export function totpCode(secret: string, stepsAhead = 0): string {
  const args = ['--totp', '-b'];
  if (stepsAhead) args.push('-N', `@${Math.floor(Date.now() / 1000) + stepsAhead * 30}`);
  return execFileSync('oathtool', [...args, secret], { encoding: 'utf8' }).trim();
}

/** Turns 2FA on for the user (through the gateway, in the user's own session); the code used is the current step's. */
export async function enableTwoFactor(stack: TestStack, user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await stack.request('POST', '/auth/2fa/setup', undefined, { token: user.token });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const secret = setup.body.secret as string;
  const enabled = await stack.request('POST', '/auth/2fa/enable', { code: totpCode(secret) }, { token: user.token });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
  return { secret, recoveryCodes: enabled.body.recovery_codes };
}
