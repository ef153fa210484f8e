import { Counter } from 'prom-client';
import { createServiceApp, type App, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { authGuards, verifierFromConfig } from '@pupero/auth';
import { loadTransactionsConfig } from './config.js';
import { migrations } from './migrations.js';
import { registerLedgerInternalRoutes } from './ledger/internal-routes.js';
import { registerLedgerAdminRoutes } from './ledger/admin-routes.js';
import { registerBalanceRoutes } from './balance/routes.js';
import { createWalletClient } from './balance/wallet-client.js';
import { createOffersClient } from './trades/offers-client.js';
import { createTwoFactorClient } from './trades/two-factor-client.js';
import { registerTradeRoutes } from './trades/routes.js';
import { registerAdminTradeRoutes } from './trades/admin-routes.js';
import { createSweeper } from './trades/sweep.js';
import type { TransactionsContext } from './context.js';
import { registerChatRoutes } from './chat/routes.js';
import { registerFeedbackRoutes } from './feedback/routes.js';
import { EventBus } from './events/event-bus.js';
import { registerEventRoutes } from './events/routes.js';
import { closeAllStreams, createStreamRegistry } from './events/sse.js';
import { errorSchema } from './shared/errors.js';

export const SCHEMA = 'transactions';
export { loadTransactionsConfig, transactionsConfigSchema } from './config.js';
export { TRANSACTIONS_ERROR_CODES, type TransactionsErrorCode } from './shared/errors.js';

/**
 * The Transactions API: trades and the double-entry ledger they move money in, in one database
 * schema, so a trade's state change and its money move commit in one transaction.
 */
export async function createTransactionsService(deps: ServiceDeps): Promise<PuperoService> {
  const config = loadTransactionsConfig(deps.env);
  await migrate(deps.db, SCHEMA, migrations);
  const logger = deps.logger.child({ service: 'transactions' });
  const { app, extras } = await createServiceApp(deps, {
    name: 'transactions',
    logger,
    errorSchema,
    openapi: { title: 'Pupero Transactions API', description: 'Trades with escrow, the double-entry ledger, chat, disputes, feedback.' },
  });
  tolerateEmptyJsonBodies(app);

  const events = new Counter({
    name: 'pupero_trade_events_total',
    help: 'Trade events (created, paid, completed, cancelled, expired, disputed, resolved, message, feedback)',
    labelNames: ['type'],
    registers: [extras.metrics],
  });
  const bus = new EventBus(deps.db, logger);
  const streams = createStreamRegistry();
  const wallet = createWalletClient({
    baseUrl: () => deps.common.urls.walletManager,
    serviceToken: deps.common.serviceToken,
    timeoutMs: config.WALLET_PENDING_TIMEOUT_MS,
    logger,
  });
  const ctx: TransactionsContext = {
    db: deps.db,
    bus,
    offers: createOffersClient({
      baseUrl: () => deps.common.urls.offers,
      serviceToken: deps.common.serviceToken,
      timeoutMs: config.OFFERS_TIMEOUT_MS,
      logger,
    }),
    twoFactor: createTwoFactorClient({
      baseUrl: () => deps.common.urls.login,
      serviceToken: deps.common.serviceToken,
      timeoutMs: config.LOGIN_TIMEOUT_MS,
      logger,
    }),
    feePercent: config.PLATFORM_FEE_PERCENT,
    maxOpenTradesPerTaker: config.MAX_OPEN_TRADES_PER_TAKER,
    now: () => new Date(),
    onEvent: (type) => events.inc({ type }),
    guards: authGuards(verifierFromConfig(deps.common)),
    serviceToken: deps.common.serviceToken,
    wallet,
    streams: { bus, registry: streams, heartbeatMs: config.SSE_HEARTBEAT_MS, maxPerUser: config.SSE_MAX_STREAMS_PER_USER },
  };

  registerLedgerInternalRoutes(app, ctx);
  registerLedgerAdminRoutes(app, ctx);
  registerBalanceRoutes(app, ctx);
  registerTradeRoutes(app, ctx);
  registerAdminTradeRoutes(app, ctx);
  registerChatRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerEventRoutes(app, ctx);

  const sweeper = createSweeper(ctx, { intervalMs: config.TRADE_SWEEP_INTERVAL_MS, logger });
  return {
    name: 'transactions',
    app,
    async start() {
      await bus.start(config.EVENTS_POLL_MS);
      sweeper.start();
    },
    async stop() {
      await sweeper.stop();
      // Open event streams would keep the server from closing.
      closeAllStreams(streams);
      await bus.stop();
    },
  };
}

/**
 * POST /trades/{id}/paid and friends take no body; clients often still send
 * "content-type: application/json" with nothing after it. Treat that as no body rather than 400.
 */
function tolerateEmptyJsonBodies(app: App): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parse(request, text, done);
  });
}
