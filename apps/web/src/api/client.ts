import { ApiError, apiErrorFrom } from './error';
import type { RefreshResponse } from './types';
import type { SessionStore, StoredSession } from '../session/store';

export type AuthMode = 'required' | 'optional' | 'none';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** required (default): send the token, refresh it if needed; optional: send it if logged in. */
  auth?: AuthMode;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
type LockRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Refresh a little before the token expires, so a request never leaves with a dying token. */
const REFRESH_MARGIN_MS = 15_000;

function browserLocks(): LockRunner | undefined {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (!locks) return undefined;
  return (name, fn) => locks.request(name, fn) as Promise<never>;
}

/**
 * Typed HTTP client of the gateway. Adds the bearer token, refreshes it transparently (once per
 * expiry, across all concurrent requests and all tabs) and turns error answers into ApiErrors.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    readonly baseUrl: string,
    readonly session: SessionStore,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    private readonly lock: LockRunner | undefined = browserLocks(),
  ) {}

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  get<T>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  put<T>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  delete<T>(path: string, options: RequestOptions = {}) {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? 'required';
    let session = auth === 'none' ? null : this.session.get();
    if (auth === 'required' && !session) throw new ApiError(401, 'authentication_required', 'Log in first.');
    if (session && session.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
      await this.refresh(session.refreshToken).catch(() => false);
      session = this.session.get();
      if (auth === 'required' && !session) throw new ApiError(401, 'session_expired', 'Your session has ended; log in again.');
    }
    let response = await this.send(method, path, options, session?.accessToken);
    if (response.status === 401 && session) {
      const body = await readJson(response);
      if (errorCode(body) !== 'invalid_token') throw apiErrorFrom(401, body);
      const refreshed = await this.refresh(session.refreshToken);
      const renewed = this.session.get();
      if (!refreshed || !renewed) {
        if (auth === 'optional') response = await this.send(method, path, options, undefined);
        else throw new ApiError(401, 'session_expired', 'Your session has ended; log in again.');
      } else {
        response = await this.send(method, path, options, renewed.accessToken);
      }
    }
    return this.parse<T>(response);
  }

  /** A valid access token for URLs that cannot carry a header (EventSource), refreshed if close to expiry. */
  async freshAccessToken(): Promise<string | undefined> {
    const session = this.session.get();
    if (!session) return undefined;
    if (session.expiresAt - Date.now() < 60_000) await this.refresh(session.refreshToken).catch(() => false);
    return this.session.get()?.accessToken;
  }

  /**
   * Rotates the refresh token. Single-flight: concurrent callers share one call; across tabs a Web
   * Lock serialises it, and whoever finds the stored token already rotated simply uses the new one.
   * Resolves false when the session is over (it is then cleared).
   */
  refresh(staleRefreshToken: string): Promise<boolean> {
    if (!this.refreshing) {
      const run = () => this.rotate(staleRefreshToken);
      this.refreshing = (this.lock ? this.lock('pupero-token-refresh', run) : run()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async rotate(staleRefreshToken: string): Promise<boolean> {
    const current = this.session.get();
    if (!current) return false;
    if (current.refreshToken !== staleRefreshToken && current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return true;
    const response = await this.send('POST', '/auth/refresh', { body: { refresh_token: current.refreshToken } }, undefined);
    if (response.ok) {
      const body = (await response.json()) as RefreshResponse;
      const next: StoredSession = {
        ...current,
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        expiresAt: Date.now() + body.expires_in * 1000,
      };
      this.session.set(next);
      return true;
    }
    if (response.status === 400 || response.status === 401) {
      this.session.clear('expired');
      return false;
    }
    throw apiErrorFrom(response.status, await readJson(response), response.headers.get('retry-after'));
  }

  private async send(method: string, path: string, options: RequestOptions, token: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await this.fetchImpl(this.url(path, options.query), { method, headers, body, signal: options.signal, credentials: 'omit' });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiError(0, 'network_error', 'Could not reach the server.');
    }
  }

  private async parse<T>(response: Response): Promise<T> {
    if (response.status === 204) return undefined as T;
    const body = await readJson(response);
    if (!response.ok) throw apiErrorFrom(response.status, body, response.headers.get('retry-after'));
    return body as T;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}
