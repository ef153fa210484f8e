import type { Logger } from 'pino';

/** What a client of another Pupero service needs: its URL (read at each call), the service token, a timeout, a logger. */
export interface UpstreamOptions {
  baseUrl: () => string;
  serviceToken: string;
  timeoutMs: number;
  logger: Logger;
}
