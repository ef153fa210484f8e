/** The one error shape of every Pupero response: {error: {code, message, details?}}. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Codes packages/http answers with on every service (error handler, limits, service client,
 * service token). Each service's list starts with these.
 */
export const HTTP_ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'bad_request',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  'uri_too_long',
  'headers_too_large',
  'request_timeout',
  'rate_limited',
  'too_many_connections',
  'internal_error',
  'service_unavailable',
  'dependency_unavailable',
  'service_credential_required',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/**
 * An error answer. Services do not construct it directly (lint forbids `new AppError` in apps):
 * they use the helpers of their errors.ts, built by errorHelpers over their list of codes.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** An AppError whose code is one of a list (what errorHelpers builds). */
export type CodedError<C extends string> = AppError & { readonly code: C };

const coded = <C extends string>(statusCode: number, code: C, message: string, details?: unknown, headers?: Record<string, string>) =>
  new AppError(statusCode, code, message, details, headers) as CodedError<C>;

/**
 * The error constructors of one service, accepting only the codes of its list: a code that is
 * not in the list (a typo, or one no client knows) does not compile.
 */
export function errorHelpers<const C extends string>(_codes: readonly C[]) {
  return {
    appError: (statusCode: number, code: C, message: string, details?: unknown, headers?: Record<string, string>) =>
      coded(statusCode, code, message, details, headers),
    badRequest: (code: C, message: string, details?: unknown) => coded(400, code, message, details),
    unauthorized: (code: C, message: string, details?: unknown) => coded(401, code, message, details),
    forbidden: (code: C, message: string, details?: unknown) => coded(403, code, message, details),
    notFound: (code: C, message: string, details?: unknown) => coded(404, code, message, details),
    conflict: (code: C, message: string, details?: unknown) => coded(409, code, message, details),
  };
}

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  coded<HttpErrorCode>(
    429,
    'rate_limited',
    message,
    { retry_after_seconds: retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
export const serviceUnavailable = (service: string) =>
  coded<HttpErrorCode>(502, 'service_unavailable', `The ${service} service is unavailable right now; try again shortly.`, {
    service,
  });

/** The dependencies a service can lose for a while without being broken itself. */
export type Dependency = 'database' | 'wallet' | 'daemon';

const DEPENDENCY_LABELS: Record<Dependency, string> = { database: 'The database', wallet: 'The wallet', daemon: 'The Monero daemon' };

/** 503 naming the dependency that is down (not the service that noticed), with Retry-After. */
export const dependencyUnavailable = (dependency: Dependency, retryAfterSeconds = 2) =>
  coded<HttpErrorCode>(
    503,
    'dependency_unavailable',
    `${DEPENDENCY_LABELS[dependency]} is unavailable right now; try again shortly.`,
    { dependency },
    { 'retry-after': String(retryAfterSeconds) },
  );
