import type { Logger } from 'pino';
import type { CommonConfig } from '@pupero/config';
import type { Db } from '@pupero/db';
import type { TokenVerifier } from '@pupero/auth';
import type { LoginConfig } from './config.js';
import type { SecretBox } from './shared/secret-box.js';
import type { KeyRing } from './tokens/keyring.js';
import type { Throttle } from './throttle/throttle.js';
import type { SessionGuards } from './sessions/session-guard.js';
import type { Registry } from 'prom-client';

/** What the login service's features share; built once by createLoginService. */
export interface LoginContext {
  db: Db;
  config: LoginConfig;
  common: CommonConfig;
  logger: Logger;
  box: SecretBox;
  keys: KeyRing;
  /** Verifies access tokens exactly as the other services do (@pupero/auth), against our own keys. */
  verifier: TokenVerifier;
  throttle: Throttle;
  /** argon2 hash of a random password: unknown usernames are verified against it (equal work). */
  dummyHash: string;
  /** The route guards: tokens checked against the sessions table (sessions/session-guard.ts). */
  guards: SessionGuards;
  /** The service's Prometheus registry. */
  metrics: Registry;
}
