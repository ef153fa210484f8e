import { errorHelpers, errorResponseSchema, HTTP_ERROR_CODES } from '@pupero/http';

/**
 * Every error code the gateway answers with itself (the services' own codes pass through it
 * unchanged): the shared HTTP ones (413, 414, 431, 429 rate_limited / too_many_connections,
 * 502 service_unavailable) and 504 upstream_timeout.
 */
export const GATEWAY_ERROR_CODES = [...HTTP_ERROR_CODES, 'upstream_timeout'] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

export const { appError } = errorHelpers(GATEWAY_ERROR_CODES);

/** The gateway's own error answers, added to every operation of the merged OpenAPI document. */
export const gatewayErrorSchema = errorResponseSchema('GatewayError', GATEWAY_ERROR_CODES);
