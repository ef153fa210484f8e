import { z } from 'zod';
import { env, loadConfig } from '@pupero/config';

const secretsKey = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
  .optional();

/** The Login API's own variables (documented in the README and .env.example). */
export const loginConfigSchema = z.object({
  /** Lifetime of an access token (JWT). At most 15 minutes: other services trust it without asking us. */
  ACCESS_TOKEN_TTL_SECONDS: env.int(900, 60, 900),
  /** A refresh token expires this long after it was issued (every refresh issues a new one). */
  REFRESH_TOKEN_TTL_DAYS: env.int(30, 1, 365),
  /** A new token-signing key is made when the newest is older than this (0 = never rotate automatically). */
  SIGNING_KEY_ROTATION_DAYS: env.int(90, 0, 3650),
  /** Encrypts TOTP secrets and the private signing keys at rest (AES-256-GCM). Unset = stored in clear. */
  LOGIN_SECRETS_KEY: secretsKey,
  /** Failed attempts are counted over this window. */
  LOGIN_THROTTLE_WINDOW_SECONDS: env.int(900, 10, 86_400),
  /**
   * Failed logins of one account from one client address (IPv6: its /64) within the window before
   * that pair is locked. Other addresses are not locked out: the right password still works there.
   */
  LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES: env.int(10, 3, 1000),
  /** Failed logins of one account (from anywhere) within the window before its logins are slowed down (never refused). */
  LOGIN_THROTTLE_ACCOUNT_DELAY_AFTER_FAILURES: env.int(10, 1, 1_000_000),
  /** The longest such delay (it starts at 100 ms and doubles per failure); 0 = no delay. */
  LOGIN_THROTTLE_ACCOUNT_MAX_DELAY_MS: env.int(2000, 0, 10_000),
  /** Failed logins from one client address (IPv6: its /64) within the window before it is locked. */
  LOGIN_THROTTLE_IP_MAX_FAILURES: env.int(100, 5, 1_000_000),
  /** Wrong 2FA codes of one account within the window before its 2FA checks are locked. */
  LOGIN_THROTTLE_2FA_ACCOUNT_MAX_FAILURES: env.int(5, 3, 1000),
  /** Wrong 2FA codes from one client address within the window before it is locked. */
  LOGIN_THROTTLE_2FA_IP_MAX_FAILURES: env.int(50, 5, 1_000_000),
  /** First lock duration; each further lock (without a quiet day in between) doubles it. */
  LOGIN_THROTTLE_LOCK_SECONDS: env.int(60, 1, 86_400),
  /** Upper bound of the growing lock duration. */
  LOGIN_THROTTLE_MAX_LOCK_SECONDS: env.int(3600, 1, 604_800),
  /** Registrations from one client address (IPv6: its /64) within LOGIN_REGISTER_IP_WINDOW_SECONDS; more get 429 until the window ends. */
  LOGIN_REGISTER_IP_MAX: env.int(20, 1, 1_000_000),
  /** The window of LOGIN_REGISTER_IP_MAX (also how long an address is refused once it reached it). */
  LOGIN_REGISTER_IP_WINDOW_SECONDS: env.int(3600, 1, 604_800),
  /** Security events older than this are deleted by the hourly sweep (0 = keep forever). */
  AUDIT_RETENTION_DAYS: env.int(365, 0, 36_500),
});

export type LoginConfig = z.infer<typeof loginConfigSchema>;

export function loadLoginConfig(environment: Record<string, string | undefined>): LoginConfig {
  return loadConfig(loginConfigSchema, environment);
}
