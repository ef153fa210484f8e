export { createHttpApp, startDraining, type App, type AppExtras, type HttpAppOptions, type ReadinessCheck } from './app.js';
export * from './errors.js';
export { errorResponseSchema, errorResponses, type ErrorResponseSchema } from './error-schema.js';
export { installErrorHandler } from './error-handler.js';
export { createLogger, redactUrl, REDACT_PATHS } from './logging.js';
export { createServiceApp, type PuperoService, type ServiceDeps } from './service.js';
export { ServiceClient, UpstreamError, type ServiceCallOptions } from './service-client.js';
export { requireServiceToken, SERVICE_TOKEN_HEADER } from './service-token.js';
export { DEFAULT_HTTP_LIMITS, type HttpLimits } from './server-limits.js';
