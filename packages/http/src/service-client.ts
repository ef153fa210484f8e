import { AppError, serviceUnavailable } from './errors.js';
import { SERVICE_TOKEN_HEADER } from './service-token.js';

export interface ServiceCallOptions {
  idempotencyKey?: string;
  requestId?: string;
  timeoutMs?: number;
  /** Bearer token to forward when acting for a user. */
  authorization?: string;
}

/** An error answer (4xx/5xx with the error model) from another Pupero service. */
export class UpstreamError extends AppError {}

/**
 * Typed JSON calls to another Pupero service, with the service credential, a timeout and the
 * caller's request id. Unreachable → 502 service_unavailable naming the service.
 */
export class ServiceClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: () => string,
    private readonly serviceToken: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, options: ServiceCallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { [SERVICE_TOKEN_HEADER]: this.serviceToken, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    if (options.authorization) headers.authorization = options.authorization;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl()}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch {
      throw serviceUnavailable(this.service);
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const err = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      if (response.status >= 500 && !err) throw serviceUnavailable(this.service);
      // The other service is fine but one of its dependencies is down: pass that on as is (a plain
      // AppError, so callers that map UpstreamError to "<service> unavailable" let it through).
      if (response.status === 503 && err?.code === 'dependency_unavailable') {
        const retryAfter = response.headers.get('retry-after');
        throw new AppError(
          503,
          err.code,
          err.message ?? 'A dependency is unavailable right now; try again shortly.',
          err.details,
          retryAfter ? { 'retry-after': retryAfter } : undefined,
        );
      }
      throw new UpstreamError(
        response.status,
        err?.code ?? 'upstream_error',
        err?.message ?? `${this.service} answered ${response.status}`,
        err?.details,
      );
    }
    return parsed as T;
  }

  get<T>(path: string, options?: ServiceCallOptions) {
    return this.call<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body: unknown, options?: ServiceCallOptions) {
    return this.call<T>('POST', path, body, options);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
