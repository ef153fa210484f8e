/** The one error shape of every Pupero response: {error: {code, message, details?}}. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

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

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (code: string, message: string, details?: unknown) => new AppError(401, code, message, details);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', message, { retry_after_seconds: retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
export const serviceUnavailable = (service: string) =>
  new AppError(502, 'service_unavailable', `The ${service} service is unavailable right now; try again shortly.`, { service });

/** The dependencies a service can lose for a while without being broken itself. */
export type Dependency = 'database' | 'wallet' | 'daemon';

const DEPENDENCY_LABELS: Record<Dependency, string> = { database: 'The database', wallet: 'The wallet', daemon: 'The Monero daemon' };

/** 503 naming the dependency that is down (not the service that noticed), with Retry-After. */
export const dependencyUnavailable = (dependency: Dependency, retryAfterSeconds = 2) =>
  new AppError(
    503,
    'dependency_unavailable',
    `${DEPENDENCY_LABELS[dependency]} is unavailable right now; try again shortly.`,
    { dependency },
    { 'retry-after': String(retryAfterSeconds) },
  );
