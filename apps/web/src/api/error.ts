/** Codes the web app makes up itself: no answer at all, a session it ended, an answer without the error model. */
export type ClientErrorCode = 'network_error' | 'session_expired' | 'authentication_required' | 'internal_error';

/** An error answer of the API ({error: {code, message, details?}}) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Builds an ApiError from a response body that may or may not follow the error model. */
export function apiErrorFrom(status: number, body: unknown, retryAfter?: string | null): ApiError {
  const retry = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(status, error.code, typeof error.message === 'string' ? error.message : '', error.details, retry);
  }
  return new ApiError(status, status >= 500 ? 'internal_error' : `http_${status}`, `The server answered ${status}.`, undefined, retry);
}
