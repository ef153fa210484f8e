import { ServiceClient } from '@pupero/http';
import { parseXmr } from '@pupero/money';
import type { UpstreamOptions } from '../shared/upstream-options.js';

export interface PendingDeposits {
  /** Seen on chain but not yet credited; 0 when the wallet manager does not answer in time. */
  pendingFor(userId: string, requestId?: string): Promise<bigint>;
}

// Same shape as the offers and login clients: each maps its own service's answers and failures (here: 0 when silent); kept apart on purpose.
export function createWalletClient(options: UpstreamOptions): PendingDeposits {
  const client = new ServiceClient('wallet manager', options.baseUrl, options.serviceToken);
  return {
    async pendingFor(userId, requestId) {
      try {
        const body = await client.get<{ pending?: unknown }>(`/internal/deposits/pending?user_id=${encodeURIComponent(userId)}`, {
          timeoutMs: options.timeoutMs,
          requestId,
        });
        return typeof body?.pending === 'string' ? parseXmr(body.pending) : 0n;
      } catch (error) {
        options.logger.debug({ err: (error as Error).message }, 'pending deposits unavailable; showing 0');
        return 0n;
      }
    },
  };
}
