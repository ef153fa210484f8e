import { isApiError } from '../api/error';
import { codeMessage, errorMessage } from '../errors/messages';

/** The body fields of a second factor typed into one "2FA code" field. */
export interface SecondFactorFields {
  totp_code?: string;
  recovery_code?: string;
}

/**
 * What the user typed, as the API wants it: six to eight digits are an authenticator code,
 * anything else a recovery code ("7k2m-9qxd-c4vt-h81p"); nothing typed sends nothing.
 */
export function secondFactorFields(typed: string): SecondFactorFields {
  const text = typed.trim();
  if (!text) return {};
  const digits = text.replace(/\s/g, '');
  return /^\d{6,8}$/.test(digits) ? { totp_code: digits } : { recovery_code: text };
}

/** Whether the field holds something worth sending (the server checks it). */
export function looksLikeCode(typed: string): boolean {
  const f = secondFactorFields(typed);
  return f.totp_code !== undefined || (f.recovery_code !== undefined && f.recovery_code.replace(/[\s-]/g, '').length >= 16);
}

/** The message for a refused action: a wrong or reused code says so, a missing one asks for it. */
export function secondFactorError(error: unknown): string {
  if (isApiError(error) && error.code === 'two_factor_required') {
    const reason = (error.details as { reason?: unknown } | undefined)?.reason;
    if (reason === 'invalid_code') return `${codeMessage('invalid_two_factor_code')} Each code works once: wait for the next one.`;
  }
  return errorMessage(error);
}
