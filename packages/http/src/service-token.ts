import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export const SERVICE_TOKEN_HEADER = 'x-service-token';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** onRequest hook (the auth phase) of /internal routes: only other Pupero services (holding the shared secret) get in. */
export function requireServiceToken(expected: string) {
  const expectedDigest = digest(expected);
  return async (request: FastifyRequest) => {
    const given = request.headers[SERVICE_TOKEN_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expectedDigest)) {
      throw new AppError(403, 'service_credential_required', 'This endpoint is for Pupero services only.');
    }
  };
}
