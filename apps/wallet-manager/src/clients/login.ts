import { ServiceClient } from '@pupero/http';

/** Two-factor checks against the Login API (docs/internal-api.md). */
export interface TwoFactor {
  /** Whether the user has 2FA on (no code is consumed). */
  isEnabled(userId: string): Promise<boolean>;
  /** Verifies (and uses up) a TOTP or recovery code. */
  verify(userId: string, code: string): Promise<{ enabled: boolean; valid: boolean }>;
}

export class HttpTwoFactor implements TwoFactor {
  private readonly client: ServiceClient;
  constructor(loginUrl: () => string, serviceToken: string) {
    this.client = new ServiceClient('login', loginUrl, serviceToken);
  }

  async isEnabled(userId: string): Promise<boolean> {
    const user = await this.client.get<{ two_factor_enabled: boolean }>(`/internal/users/${encodeURIComponent(userId)}`);
    return user.two_factor_enabled === true;
  }

  async verify(userId: string, code: string) {
    const r = await this.client.post<{ two_factor_enabled: boolean; valid: boolean }>('/internal/2fa/verify', { user_id: userId, code });
    return { enabled: r.two_factor_enabled === true, valid: r.valid === true };
  }
}
