import { one, type Queryable } from '@pupero/db';
import { hashRecoveryCode } from './recovery-codes.js';

export async function savePendingSecret(q: Queryable, userId: string, sealed: string): Promise<void> {
  await q.query('UPDATE login.users SET totp_pending_secret = $2, totp_pending_at = now() WHERE id = $1', [userId, sealed]);
}

/** Turns the pending secret on, if it is still the one that was checked. Returns false if it changed meanwhile. */
export async function activateSecret(
  q: Queryable,
  userId: string,
  pendingSealed: string,
  enabledSealed: string,
  step: number,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE login.users
        SET totp_secret = $3, totp_enabled_at = now(), totp_last_step = $4, totp_pending_secret = NULL, totp_pending_at = NULL
      WHERE id = $1 AND totp_secret IS NULL AND totp_pending_secret = $2`,
    [userId, pendingSealed, enabledSealed, BigInt(step)],
  );
  return rowCount > 0;
}

export async function deactivateSecret(q: Queryable, userId: string): Promise<void> {
  await q.query(
    `UPDATE login.users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, totp_pending_secret = NULL, totp_pending_at = NULL
      WHERE id = $1`,
    [userId],
  );
  await q.query('DELETE FROM login.recovery_codes WHERE user_id = $1', [userId]);
}

/**
 * Spends a TOTP time step: succeeds only if it is later than the last one used, so the same code
 * (or an older one) is refused even when two replicas see it at the same moment.
 */
export async function claimTotpStep(q: Queryable, userId: string, step: number): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE login.users SET totp_last_step = $2
      WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`,
    [userId, BigInt(step)],
  );
  return rowCount > 0;
}

export async function replaceRecoveryCodes(q: Queryable, userId: string, normalisedCodes: string[]): Promise<void> {
  await q.query('DELETE FROM login.recovery_codes WHERE user_id = $1', [userId]);
  for (const code of normalisedCodes) {
    await q.query('INSERT INTO login.recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, hashRecoveryCode(code)]);
  }
}

/** Marks an unused recovery code as used; false if it is not one of the user's unused codes. */
export async function spendRecoveryCode(q: Queryable, userId: string, normalisedCode: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE login.recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
    [userId, hashRecoveryCode(normalisedCode)],
  );
  return rowCount > 0;
}

export async function unusedRecoveryCodeCount(q: Queryable, userId: string): Promise<number> {
  const { n } = await one<{ n: bigint }>(q, 'SELECT count(*) AS n FROM login.recovery_codes WHERE user_id = $1 AND used_at IS NULL', [
    userId,
  ]);
  return Number(n);
}
