import { badRequest, conflict } from '../shared/errors.js';
import type { LoginContext } from '../context.js';
import type { ClientInfo } from '../shared/client-info.js';
import { recordEvent } from '../audit/audit-store.js';
import type { User } from '../accounts/users-store.js';
import { twoFactorTargets } from '../throttle/targets.js';
import { revokeOtherSessions } from '../sessions/sessions-store.js';
import { matchTotp, newTotpSecret, normaliseTotpCode, otpauthUrl } from './totp.js';
import { newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes.js';
import {
  activateSecret,
  claimTotpStep,
  deactivateSecret,
  replaceRecoveryCodes,
  savePendingSecret,
  spendRecoveryCode,
  unusedRecoveryCodeCount,
} from './two-factor-store.js';

export interface SecondFactor {
  totpCode?: string;
  recoveryCode?: string;
}
export type FactorMethod = 'totp' | 'recovery_code';

const totpContext = (userId: string) => `totp:${userId}`;
const pendingContext = (userId: string) => `totp-pending:${userId}`;

/** One `code` field may hold either: six digits are a TOTP code, anything else a recovery code. */
export function classifyCode(code: string): SecondFactor {
  return normaliseTotpCode(code) ? { totpCode: code } : { recoveryCode: code };
}

export const invalidCode = () =>
  badRequest(
    'invalid_two_factor_code',
    'The code is wrong or was already used: send the current 6-digit code of your authenticator app, or an unused recovery code.',
  );

async function tryFactor(ctx: LoginContext, user: User, factor: SecondFactor): Promise<FactorMethod | null> {
  if (!user.totpSecret) return null;
  if (factor.totpCode !== undefined) {
    const secret = ctx.box.open(user.totpSecret, totpContext(user.id));
    const step = matchTotp(secret, factor.totpCode, new Date(), user.totpLastStep);
    return step !== null && (await claimTotpStep(ctx.db, user.id, step)) ? 'totp' : null;
  }
  if (factor.recoveryCode !== undefined) {
    const code = normaliseRecoveryCode(factor.recoveryCode);
    return code && (await spendRecoveryCode(ctx.db, user.id, code)) ? 'recovery_code' : null;
  }
  return null;
}

/**
 * Checks the second factor of a user who has 2FA on. Throttled per account (and per address for
 * public requests): a locked account gets 429 before any code is looked at. A TOTP step and a
 * recovery code are each accepted once. Callers record the failure event with their context.
 */
export async function verifySecondFactor(
  ctx: LoginContext,
  user: User,
  factor: SecondFactor,
  client: ClientInfo | null,
  during: string,
): Promise<FactorMethod | null> {
  const attempt = await ctx.throttle.attempt(twoFactorTargets(user.id, client?.ip ?? null));
  const method = await tryFactor(ctx, user, factor);
  if (!method) return null;
  await attempt.succeeded();
  if (method === 'recovery_code') {
    const remaining = await unusedRecoveryCodeCount(ctx.db, user.id);
    await recordEvent(ctx.db, { userId: user.id, type: 'recovery_code_used', client, details: { during, remaining: String(remaining) } });
  }
  return method;
}

/** Step 1: a new secret, kept pending (2FA stays off until a code from it is confirmed). */
export async function startSetup(ctx: LoginContext, user: User): Promise<{ secret: string; otpauth_url: string }> {
  if (user.totpSecret)
    throw conflict('two_factor_already_enabled', 'Two-factor authentication is already on; disable it first to set up a new secret.');
  const secret = newTotpSecret();
  await savePendingSecret(ctx.db, user.id, ctx.box.seal(secret, pendingContext(user.id)));
  return { secret, otpauth_url: otpauthUrl(secret, user.username) };
}

/**
 * Step 2: a valid code from the pending secret turns 2FA on and yields ten recovery codes (shown
 * once). Every other session ends with it (their refresh tokens stop working): a session stolen
 * before 2FA was turned on must not keep the account without the second factor.
 */
export async function enable(ctx: LoginContext, user: User, code: string, client: ClientInfo, currentSessionId: string): Promise<string[]> {
  if (user.totpSecret) throw conflict('two_factor_already_enabled', 'Two-factor authentication is already on.');
  const pending = user.totpPendingSecret;
  if (!pending) {
    throw conflict(
      'two_factor_setup_required',
      'Call POST /auth/2fa/setup first, add the secret to your authenticator app, then send its current code.',
    );
  }
  const attempt = await ctx.throttle.attempt(twoFactorTargets(user.id, client.ip));
  const secret = ctx.box.open(pending, pendingContext(user.id));
  const step = matchTotp(secret, code, new Date(), null);
  if (step === null) {
    await recordEvent(ctx.db, { userId: user.id, type: 'two_factor_failed', client, details: { during: 'enable' } });
    throw invalidCode();
  }
  const codes = newRecoveryCodes();
  const enabled = await ctx.db.transaction(async (tx) => {
    if (!(await activateSecret(tx, user.id, pending, ctx.box.seal(secret, totpContext(user.id)), step))) return false;
    await replaceRecoveryCodes(
      tx,
      user.id,
      codes.map((c) => normaliseRecoveryCode(c)!),
    );
    const revoked = await revokeOtherSessions(tx, user.id, currentSessionId, 'two_factor_enabled');
    await recordEvent(tx, { userId: user.id, type: 'two_factor_enabled', client, details: { other_sessions_ended: String(revoked) } });
    return true;
  });
  if (!enabled)
    throw conflict('two_factor_setup_changed', 'The two-factor setup changed meanwhile (a new setup was started); start again.');
  await attempt.succeeded();
  return codes;
}

async function requireCode(ctx: LoginContext, user: User, code: string, client: ClientInfo, during: string): Promise<FactorMethod> {
  if (!user.totpSecret) throw conflict('two_factor_not_enabled', 'Two-factor authentication is not on for this account.');
  const method = await verifySecondFactor(ctx, user, classifyCode(code), client, during);
  if (!method) {
    await recordEvent(ctx.db, { userId: user.id, type: 'two_factor_failed', client, details: { during } });
    throw invalidCode();
  }
  return method;
}

/** Turns 2FA off (needs a current code or a recovery code); all recovery codes are deleted. */
export async function disable(ctx: LoginContext, user: User, code: string, client: ClientInfo): Promise<void> {
  const method = await requireCode(ctx, user, code, client, 'disable');
  await ctx.db.transaction(async (tx) => {
    await deactivateSecret(tx, user.id);
    await recordEvent(tx, { userId: user.id, type: 'two_factor_disabled', client, details: { method } });
  });
}

/** Replaces the recovery codes with ten new ones (needs a current code or a recovery code). */
export async function regenerateRecoveryCodes(ctx: LoginContext, user: User, code: string, client: ClientInfo): Promise<string[]> {
  await requireCode(ctx, user, code, client, 'recovery_codes');
  const codes = newRecoveryCodes();
  await ctx.db.transaction((tx) =>
    replaceRecoveryCodes(
      tx,
      user.id,
      codes.map((c) => normaliseRecoveryCode(c)!),
    ),
  );
  return codes;
}
