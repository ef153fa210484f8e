import { z } from 'zod';
import { type App, TAGS } from '@pupero/http';
import type { WalletContext } from '../context.js';

export const syncStatusSchema = z.object({
  network: z.enum(['regtest', 'testnet', 'stagenet', 'mainnet']),
  synchronized: z.boolean(),
  height: z.number().int(),
  target_height: z.number().int(),
  percent: z.number().int().min(0).max(100),
  peers: z.number().int(),
  message: z.string().nullable(),
});

/** The Monero node's sync progress (public: the web app's progress bar shows it before login too). */
export function registerSyncRoutes(app: App, ctx: WalletContext): void {
  app.get(
    '/wallet/sync',
    {
      schema: {
        tags: [TAGS.wallet],
        summary: "The Monero node's sync: height / target height, peers, and why deposits and withdrawals wait while it syncs",
        response: { 200: syncStatusSchema },
      },
    },
    async () => ctx.sync(),
  );
}
