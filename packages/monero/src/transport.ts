/**
 * JSON-RPC over HTTP for monerod and monero-wallet-rpc (fetch): request ids, digest login,
 * per-call timeouts, retries for idempotent calls, and every failure as a `MoneroRpcError`.
 *
 * - Amounts are `bigint` atomic units (piconero) in requests and results (see json.ts).
 * - Retries only for idempotent read calls, never for transfer / relay_tx / generateblocks / create_*.
 * - Failures carry a human message, the RPC code and message.
 *
 * The typed clients built on it are DaemonRpc (daemon.ts) and WalletRpc (wallet.ts).
 */
import { causeCode, MoneroRpcError, type MoneroRpcErrorInit, type MoneroService } from './errors.js';
import { digestAuthorization, parseDigestChallenge, type DigestChallenge } from './digest.js';
import { parseRpcJson, stringifyRpcJson } from './json.js';

export interface RpcLogin {
  username: string;
  password: string;
}

export interface RpcClientOptions {
  /** Base URL, e.g. http://127.0.0.1:18083 (no path). */
  url: string;
  /** HTTP digest login (`--rpc-login user:password` on the server). */
  login?: RpcLogin;
  /** Default per-call timeout in ms (30 s). */
  timeoutMs?: number;
  /** Timeout for slow calls: transfer, relay_tx, create/open/close_wallet, refresh, store (120 s). */
  slowTimeoutMs?: number;
  /** Extra attempts for idempotent calls on transport failures / 5xx / BUSY (default 2). */
  retries?: number;
  /** First retry delay in ms, doubled each time (default 200). */
  retryDelayMs?: number;
  /** Injected fetch (tests). Defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

export interface CallOptions {
  /** Overrides the timeout for this call (ms). */
  timeoutMs?: number;
  /** Allows retries. Only set for calls that are safe to repeat. */
  idempotent?: boolean;
  /** Do not turn a monerod `status` other than OK into an error (the caller inspects it). */
  acceptAnyStatus?: boolean;
}

const TRANSPORT_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Digest challenges answered per request before giving up (see send()). */
const MAX_AUTH_ROUNDS = 6;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RpcTransport {
  readonly url: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly timeoutMs: number;
  /** See RpcClientOptions.slowTimeoutMs. */
  readonly slowTimeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly login: RpcLogin | undefined;
  private challenge: DigestChallenge | undefined;
  private nonceCount = 0;
  private authQueue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(
    readonly service: MoneroService,
    opts: RpcClientOptions,
  ) {
    this.url = opts.url.replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.slowTimeoutMs = opts.slowTimeoutMs ?? 120_000;
    this.retries = opts.retries ?? 2;
    this.retryDelayMs = opts.retryDelayMs ?? 200;
    this.login = opts.login;
  }

  /** Calls a JSON-RPC method on /json_rpc and returns `result`. */
  async jsonRpc<T>(method: string, params?: object, opts: CallOptions = {}): Promise<T> {
    const body: Record<string, unknown> = { jsonrpc: '2.0', id: String(this.nextId++), method };
    if (params !== undefined) body.params = params;
    const parsed = await this.request(method, '/json_rpc', stringifyRpcJson(body), opts, (json) => {
      const obj = json as { error?: { code?: unknown; message?: unknown }; result?: unknown };
      if (obj && typeof obj === 'object' && obj.error) {
        return {
          error: {
            code: typeof obj.error.code === 'number' ? obj.error.code : undefined,
            message: typeof obj.error.message === 'string' ? obj.error.message : 'unknown error',
          },
        };
      }
      if (!obj || typeof obj !== 'object' || !('result' in obj)) {
        return { protocol: 'no "result" in the JSON-RPC answer' };
      }
      return { value: obj.result };
    });
    return parsed as T;
  }

  /** Calls one of monerod's plain JSON endpoints (/get_height, /get_transactions, ...). */
  async other<T>(path: string, params: object = {}, opts: CallOptions = {}): Promise<T> {
    const method = path.replace(/^\//, '');
    return (await this.request(method, path, stringifyRpcJson(params), opts, (json) => {
      if (!json || typeof json !== 'object') return { protocol: 'answer is not a JSON object' };
      return { value: json };
    })) as T;
  }

  private async request(
    method: string,
    path: string,
    body: string,
    opts: CallOptions,
    unwrap: (json: unknown) => {
      value?: unknown;
      error?: { code: number | undefined; message: string };
      protocol?: string;
    },
  ): Promise<unknown> {
    const maxAttempts = opts.idempotent ? 1 + this.retries : 1;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    let lastErr: MoneroRpcError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(this.retryDelayMs * 2 ** (attempt - 2));
      try {
        const res = await this.send(method, path, body, timeoutMs, attempt);
        let json: unknown;
        try {
          json = parseRpcJson(res.text);
        } catch {
          throw this.error({ kind: 'protocol', method, rpcMessage: `not JSON: ${res.text.slice(0, 120)}`, attempts: attempt });
        }
        const out = unwrap(json);
        if (out.protocol) throw this.error({ kind: 'protocol', method, rpcMessage: out.protocol, attempts: attempt });
        if (out.error) {
          throw this.error({ kind: 'rpc', method, code: out.error.code, rpcMessage: out.error.message, attempts: attempt });
        }
        // monerod reports many failures as `status` != "OK" in an otherwise successful answer.
        const status = (out.value as { status?: unknown } | null)?.status;
        if (this.service === 'monerod' && !opts.acceptAnyStatus && typeof status === 'string' && status !== 'OK') {
          const err = this.error({ kind: 'rpc', method, rpcMessage: status, attempts: attempt });
          if (status === 'BUSY' && attempt < maxAttempts) {
            lastErr = err;
            continue;
          }
          throw err;
        }
        return out.value;
      } catch (e) {
        if (!(e instanceof MoneroRpcError)) throw e;
        const retriable = e.kind === 'unreachable' || e.kind === 'timeout' || (e.kind === 'http' && (e.httpStatus ?? 0) >= 500);
        if (!retriable || attempt >= maxAttempts) throw e;
        lastErr = e;
      }
    }
    throw lastErr ?? new Error('unreachable');
  }

  /**
   * With a digest login, requests are sent one at a time: monerod/wallet-rpc keep the digest
   * session (nonce + an exact request counter) per TCP connection, so all requests must go over
   * one kept-alive connection in order. (wallet-rpc handles one request at a time anyway.)
   */
  private send(method: string, path: string, body: string, timeoutMs: number, attempts: number): Promise<{ status: number; text: string }> {
    if (!this.login) return this.sendOnce(method, path, body, timeoutMs, attempts);
    const run = this.authQueue.then(() => this.sendOnce(method, path, body, timeoutMs, attempts));
    this.authQueue = run.catch(() => undefined);
    return run;
  }

  private async sendOnce(
    method: string,
    path: string,
    body: string,
    timeoutMs: number,
    attempts: number,
  ): Promise<{ status: number; text: string }> {
    for (let authRound = 0; ; authRound++) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.login && this.challenge) {
        headers.authorization = digestAuthorization(
          this.challenge,
          this.login.username,
          this.login.password,
          'POST',
          path,
          ++this.nonceCount,
        );
      }
      let res: Response;
      let text: string;
      try {
        res = await this.fetchImpl(this.url + path, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        throw this.transportError(method, e, attempts);
      }
      // fetch marks the connection free a tick after the body is read; without this yield the
      // next request would open a second connection (= a second digest session).
      if (this.login) await new Promise((r) => setTimeout(r, 0));
      // A request that lands on a connection with another digest session (e.g. a new one after
      // the server closed the old) gets a 401 with a fresh nonce (stale=true). A 401 means the
      // call was not executed, so answering the new challenge and resending is always safe.
      if (res.status === 401 && this.login && authRound < MAX_AUTH_ROUNDS) {
        const ch = parseDigestChallenge(res.headers.get('www-authenticate'));
        // Not stale after we answered = wrong username/password: stop here.
        if (ch && (authRound === 0 || ch.stale || !headers.authorization)) {
          this.challenge = ch;
          this.nonceCount = 0;
          continue;
        }
      }
      if (res.status < 200 || res.status >= 300) {
        throw this.error({ kind: 'http', method, httpStatus: res.status, attempts });
      }
      return { status: res.status, text };
    }
  }

  private transportError(method: string, e: unknown, attempts: number): MoneroRpcError {
    const name = (e as { name?: unknown })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return this.error({ kind: 'timeout', method, attempts, maybeExecuted: true, cause: e });
    }
    const code = causeCode(e);
    const refused = code !== undefined && TRANSPORT_UNREACHABLE.has(code);
    return this.error({ kind: 'unreachable', method, attempts, maybeExecuted: !refused, cause: e });
  }

  private error(init: Omit<MoneroRpcErrorInit, 'service' | 'url'>): MoneroRpcError {
    return new MoneroRpcError({ service: this.service, url: this.url, ...init });
  }
}

/** What DaemonRpc and WalletRpc share: a transport to one server (a URL alone, or all the options). */
export abstract class RpcClient {
  readonly transport: RpcTransport;
  constructor(service: MoneroService, opts: RpcClientOptions | string) {
    this.transport = new RpcTransport(service, typeof opts === 'string' ? { url: opts } : opts);
  }
  get url(): string {
    return this.transport.url;
  }
}
