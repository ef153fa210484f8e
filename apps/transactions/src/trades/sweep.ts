import type { Logger } from 'pino';
import { expireDueTrades, type TradeContext } from './trade-commands.js';

/**
 * The background sweep: every interval, cancels the escrowed trades whose payment window has
 * passed. Runs are never concurrent within a process; across replicas SKIP LOCKED shares the work.
 */
export function createSweeper(ctx: TradeContext, options: { intervalMs: number; logger: Logger }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async (): Promise<number> => {
    const expired = await expireDueTrades(ctx);
    if (expired > 0) options.logger.info({ expired }, 'cancelled trades past their payment deadline');
    return expired;
  };

  const tick = () => {
    if (running) return;
    running = runOnce()
      .then(() => undefined)
      .catch((error) => options.logger.error({ err: error }, 'trade sweep failed'))
      .finally(() => (running = undefined));
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
      tick();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
    runOnce,
  };
}
