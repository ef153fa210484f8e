/**
 * Errors raised by the Monero RPC clients and the regtest orchestration.
 */

export type MoneroService = 'monerod' | 'wallet-rpc';

/**
 * - `unreachable`: nothing answered (connection refused, DNS, reset before an answer).
 * - `timeout`: no complete answer within the per-call timeout.
 * - `http`: the server answered with a non-2xx HTTP status (401 = bad rpc login).
 * - `rpc`: the server answered with a JSON-RPC error (`code`, `rpcMessage`) or a daemon status other than OK.
 * - `protocol`: the answer was not the JSON we expected.
 */
export type MoneroRpcErrorKind = 'unreachable' | 'timeout' | 'http' | 'rpc' | 'protocol';

export interface MoneroRpcErrorInit {
  kind: MoneroRpcErrorKind;
  service: MoneroService;
  url: string;
  method: string;
  code?: number;
  rpcMessage?: string;
  httpStatus?: number;
  attempts?: number;
  /**
   * True when the request may have reached the server and been executed although no answer
   * came back (timeout, connection reset). A non-idempotent call (transfer, relay_tx) that
   * fails this way must be reconciled (e.g. by tx hash) before anything is retried.
   */
  maybeExecuted?: boolean;
  cause?: unknown;
}

export class MoneroRpcError extends Error {
  override readonly name = 'MoneroRpcError';
  readonly kind: MoneroRpcErrorKind;
  readonly service: MoneroService;
  readonly url: string;
  readonly method: string;
  /** JSON-RPC error code (e.g. -17 not enough money), when the server sent one. */
  readonly code: number | undefined;
  /** The server's own error text, verbatim. */
  readonly rpcMessage: string | undefined;
  readonly httpStatus: number | undefined;
  readonly attempts: number;
  readonly maybeExecuted: boolean;

  constructor(init: MoneroRpcErrorInit) {
    super(humanMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.service = init.service;
    this.url = init.url;
    this.method = init.method;
    this.code = init.code;
    this.rpcMessage = init.rpcMessage;
    this.httpStatus = init.httpStatus;
    this.attempts = init.attempts ?? 1;
    this.maybeExecuted = init.maybeExecuted ?? false;
  }
}

function humanMessage(e: MoneroRpcErrorInit): string {
  const who = `${e.service} at ${e.url}`;
  const tries = e.attempts && e.attempts > 1 ? ` (after ${e.attempts} attempts)` : '';
  switch (e.kind) {
    case 'unreachable': {
      const reason = causeCode(e.cause);
      return `${who} is not reachable: is it running?${reason ? ` (${reason})` : ''}${tries}`;
    }
    case 'timeout':
      return `${who} did not answer ${e.method} in time${tries}${e.maybeExecuted ? '; the call may still have been executed' : ''}`;
    case 'http':
      if (e.httpStatus === 401) {
        return `${who} refused ${e.method}: HTTP 401 (wrong or missing rpc login)`;
      }
      return `${who} answered ${e.method} with HTTP ${e.httpStatus}${tries}`;
    case 'rpc':
      return `${e.service} ${e.method} failed: ${e.rpcMessage ?? 'unknown error'}${e.code !== undefined ? ` (code ${e.code})` : ''}`;
    case 'protocol':
      return `${who} sent an unexpected answer to ${e.method}: ${e.rpcMessage ?? 'not JSON'}`;
  }
}

/** Best-effort system error code from a fetch failure (undici puts it in `cause`). */
export function causeCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Error codes of monero-wallet-rpc (src/wallet/wallet_rpc_server_error_codes.h, v0.18).
 * Only the ones a wallet manager is likely to branch on.
 */
export const WalletErrorCode = {
  UNKNOWN_ERROR: -1,
  WRONG_ADDRESS: -2,
  DAEMON_IS_BUSY: -3,
  GENERIC_TRANSFER_ERROR: -4,
  WRONG_PAYMENT_ID: -5,
  TRANSFER_TYPE: -6,
  DENIED: -7,
  WRONG_TXID: -8,
  WRONG_INDEX: -12,
  NOT_OPEN: -13,
  ACCOUNT_INDEX_OUT_OF_BOUNDS: -14,
  ADDRESS_INDEX_OUT_OF_BOUNDS: -15,
  TX_NOT_POSSIBLE: -16,
  NOT_ENOUGH_MONEY: -17,
  TX_TOO_LARGE: -18,
  NOT_ENOUGH_OUTS_TO_MIX: -19,
  ZERO_DESTINATION: -20,
  WALLET_ALREADY_EXISTS: -21,
  INVALID_PASSWORD: -22,
  NO_WALLET_DIR: -23,
  BAD_TX_METADATA: -27,
} as const;

/** A required binary (monerod, monero-wallet-rpc, monero-gen-ssl-cert) is not installed. */
export class MoneroBinaryNotFoundError extends Error {
  override readonly name = 'MoneroBinaryNotFoundError';
  constructor(
    readonly binary: string,
    readonly envVar: string,
  ) {
    super(`${binary} not found: install the Debian package \`monero\` (sudo apt-get install monero) or set ${envVar}`);
  }
}

/** A monerod / wallet-rpc process did not come up (exited early or never became ready). */
export class MoneroProcessError extends Error {
  override readonly name = 'MoneroProcessError';
  constructor(
    message: string,
    readonly logFile?: string,
    readonly logTail?: string,
  ) {
    super(logTail ? `${message}\n--- from ${logFile} ---\n${logTail}` : message);
  }
}
