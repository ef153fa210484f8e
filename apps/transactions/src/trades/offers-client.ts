import { z } from 'zod';
import { AppError, ServiceClient, UpstreamError, serviceUnavailable } from '@pupero/http';
import { notFound } from '../shared/errors.js';
import type { UpstreamOptions } from '../shared/upstream-options.js';

/** The part of the Offers API's Offer that a trade snapshots (GET /internal/offers/{id}). */
const offerSnapshotSchema = z.object({
  id: z.string().min(1),
  owner: z.object({ id: z.string().min(1), username: z.string().min(1) }),
  side: z.enum(['sell', 'buy']),
  currency: z.string().min(1),
  payment_method: z.string().min(1),
  effective_price: z.string().nullable().optional(),
  min_amount: z.string(),
  max_amount: z.string(),
  terms: z.string().nullable().optional(),
  payment_window_minutes: z.number().int().positive(),
  status: z.string(),
});

export type OfferSnapshot = z.infer<typeof offerSnapshotSchema>;

export interface OffersClient {
  getOffer(offerId: string, requestId?: string): Promise<OfferSnapshot>;
}

export function createOffersClient(options: UpstreamOptions): OffersClient {
  const client = new ServiceClient('offers', options.baseUrl, options.serviceToken);
  return {
    async getOffer(offerId, requestId) {
      let body: unknown;
      try {
        body = await client.get(`/internal/offers/${encodeURIComponent(offerId)}`, { timeoutMs: options.timeoutMs, requestId });
      } catch (error) {
        // 400: an id the Offers API would never issue; to the caller it is just an unknown offer.
        if (error instanceof UpstreamError && (error.statusCode === 404 || error.statusCode === 400))
          throw notFound('offer_not_found', 'No such offer.');
        if (error instanceof UpstreamError) {
          options.logger.warn({ status: error.statusCode, code: error.code }, 'offers service refused the offer lookup');
          throw serviceUnavailable('offers');
        }
        if (error instanceof AppError) throw error;
        throw serviceUnavailable('offers');
      }
      const parsed = offerSnapshotSchema.safeParse(body);
      if (!parsed.success) {
        options.logger.error({ issues: parsed.error.issues.slice(0, 5) }, 'offers service answered with an unexpected offer shape');
        throw serviceUnavailable('offers');
      }
      return parsed.data;
    },
  };
}
