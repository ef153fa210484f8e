import { AppError, ServiceClient, UpstreamError, serviceUnavailable, tooManyRequests } from '@pupero/http';
import { unauthorized } from '../shared/errors.js';
import type { UpstreamOptions } from '../shared/upstream-options.js';

/** What the caller sent as a second factor (`totp_code` or `recovery_code` in the body). */
export interface SecondFactorInput {
  totpCode?: string;
  recoveryCode?: string;
}

/**
 * The second factor for actions that can send a user's XMR to someone else (release, starting a
 * trade as the seller). The Login API owns the secrets and the replay rules: a TOTP step and a
 * recovery code are each accepted once, and failures count towards the account's 2FA throttle.
 */
export interface TwoFactorGate {
  /**
   * Resolves when the user has 2FA off, or when the code is valid (it is used up then). Otherwise
   * 401 two_factor_required; 429 rate_limited while the account's 2FA is locked; 502 when the
   * Login API cannot answer (fail closed: nothing moves without the check).
   */
  require(userId: string, factor: SecondFactorInput, requestId?: string): Promise<void>;
}

const missing = () =>
  unauthorized(
    'two_factor_required',
    'Two-factor authentication is on for this account: this action moves your XMR, so it needs a fresh code. Send totp_code (the current 6-digit code of your authenticator app) or a recovery_code.',
    { reason: 'missing_code' },
  );
const wrong = () =>
  unauthorized(
    'two_factor_required',
    'The two-factor code is wrong or was already used: send the current code of your authenticator app (each code works once) or an unused recovery code.',
    { reason: 'invalid_code' },
  );

export function createTwoFactorClient(options: UpstreamOptions): TwoFactorGate {
  const client = new ServiceClient('login', options.baseUrl, options.serviceToken);
  const call = async <T>(request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      if (error instanceof UpstreamError && error.statusCode === 429) {
        const retry = Number((error.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds);
        throw tooManyRequests(
          'Too many wrong two-factor codes for this account; wait before trying again.',
          Number.isFinite(retry) && retry > 0 ? retry : 60,
        );
      }
      // A token whose user the Login API does not know: the account is gone.
      if (error instanceof UpstreamError && error.statusCode === 404) throw unauthorized('invalid_token', 'This account no longer exists.');
      if (error instanceof UpstreamError) {
        options.logger.warn({ status: error.statusCode, code: error.code }, 'login service refused the two-factor check');
        throw serviceUnavailable('login');
      }
      if (error instanceof AppError) throw error;
      throw serviceUnavailable('login');
    }
  };

  return {
    async require(userId, factor, requestId) {
      const code = (factor.totpCode ?? factor.recoveryCode ?? '').trim();
      const path = `/internal/users/${encodeURIComponent(userId)}`;
      if (code === '') {
        // No code: only a user who has 2FA off may go on (this lookup uses nothing up).
        const user = await call(() => client.get<{ two_factor_enabled?: unknown }>(path, { timeoutMs: options.timeoutMs, requestId }));
        if (user.two_factor_enabled !== false) throw missing();
        return;
      }
      // The Login API tells a TOTP code (six digits) from a recovery code by its shape.
      const result = await call(() =>
        client.post<{ two_factor_enabled?: unknown; valid?: unknown }>(
          '/internal/2fa/verify',
          { user_id: userId, code },
          { timeoutMs: options.timeoutMs, requestId },
        ),
      );
      if (result.two_factor_enabled === false) return; // 2FA off: a code is not needed and not looked at
      if (result.valid !== true) throw wrong();
    },
  };
}
