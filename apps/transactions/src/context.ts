import type { AuthGuards } from '@pupero/auth';
import type { StreamOptions } from './events/routes.js';
import type { PendingDeposits } from './balance/wallet-client.js';
import type { TradeContext } from './trades/trade-commands.js';

/** What the route modules of the Transactions API share: the trade commands' context and the route wiring. */
export interface TransactionsContext extends TradeContext {
  guards: AuthGuards;
  serviceToken: string;
  /** Deposits the wallet manager has seen but not credited yet (GET /balance). */
  wallet: PendingDeposits;
  /** The live event streams (GET /events, GET /trades/{id}/events). */
  streams: StreamOptions;
}
