import { z } from 'zod';
import { env, loadConfig } from '@pupero/config';

/** The Transactions API's own variables (documented in .env.example and the README). */
export const transactionsConfigSchema = z.object({
  /** Platform fee on a trade, in percent of the amount, charged to the seller on top of the amount ("0.5" = 0.5 %). */
  PLATFORM_FEE_PERCENT: z
    .string()
    .regex(/^\d{1,2}(\.\d{1,4})?$/, 'a percentage like "0.5" (0 to 99.9999, at most 4 decimals)')
    .default('0'),
  /** How often the background sweep cancels escrowed trades whose payment window has passed. */
  TRADE_SWEEP_INTERVAL_MS: env.int(30_000, 100, 3_600_000),
  /** How often a replica reads the event log for events written by other replicas (0 = never: single process). */
  EVENTS_POLL_MS: env.int(1000, 0, 60_000),
  /** Comment line sent on idle event streams so proxies keep them open. */
  SSE_HEARTBEAT_MS: env.int(15_000, 1000, 120_000),
  /** Open event streams allowed per user (each browser tab holds one or two). */
  SSE_MAX_STREAMS_PER_USER: env.int(20, 1, 1000),
  /**
   * Trades a user may have open (escrowed, paid or disputed) as the taker: each one holds a
   * seller's XMR, so without a cap one account could lock every seller's funds. 0 = no cap.
   */
  MAX_OPEN_TRADES_PER_TAKER: env.int(10, 0, 100_000),
  /** Timeout of the Offers API call made when a trade starts. */
  OFFERS_TIMEOUT_MS: env.int(5000, 100, 60_000),
  /** Timeout of the Login API's two-factor check behind a release or a trade start as the seller (fails closed: 502). */
  LOGIN_TIMEOUT_MS: env.int(5000, 100, 60_000),
  /** Timeout of the wallet manager's pending-deposits call behind GET /balance ("0" shown when it does not answer). */
  WALLET_PENDING_TIMEOUT_MS: env.int(1000, 50, 30_000),
});

// The shape of every service's config.ts (its own variables, then loadConfig): alike on purpose, each service validates its own.
export type TransactionsConfig = z.infer<typeof transactionsConfigSchema>;

export function loadTransactionsConfig(environment: Record<string, string | undefined>): TransactionsConfig {
  return loadConfig(transactionsConfigSchema, environment);
}
