import { AUTH_ERROR_CODES } from '@pupero/auth';
import { authedRoutes, dependencyUnavailable, errorHelpers, errorResponseSchema, HTTP_ERROR_CODES } from '@pupero/http';
import { MoneroRpcError, WalletErrorCode } from '@pupero/monero';
import { ChainUnavailableError } from '../chain/hot-wallet.js';

/** Every error code the wallet manager can send: a code outside this list does not compile. */
export const WALLET_ERROR_CODES = [
  ...HTTP_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  'amount_too_large',
  'idempotency_key_required',
  'idempotency_key_reused',
  'insufficient_funds',
  'invalid_address',
  'invalid_amount',
  'too_many_blocks',
  'two_factor_required',
  'wallet_unavailable',
  'withdrawal_not_failable',
  'withdrawal_not_found',
  'withdrawal_not_retryable',
  'withdrawal_refused',
] as const;
export type WalletManagerErrorCode = (typeof WALLET_ERROR_CODES)[number];

export const { appError, badRequest, conflict, notFound, unauthorized } = errorHelpers(WALLET_ERROR_CODES);

/** The error model of the wallet manager's routes, for the OpenAPI document. */
export const errorSchema = errorResponseSchema('WalletError', WALLET_ERROR_CODES);

/** Options of a route behind an auth guard: the guard, `security` and the 401 response together. */
export const authed = authedRoutes(errorSchema);

/** A code from the list (e.g. a ledger refusal stored as a withdrawal's failure reason), else undefined. */
export function walletErrorCode(code: string | null | undefined): WalletManagerErrorCode | undefined {
  return (WALLET_ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as WalletManagerErrorCode) : undefined;
}

/** Monero is switched off or not connected yet: a state of this service, not a dependency outage. */
export const walletUnavailable = (message: string) => appError(503, 'wallet_unavailable', message);

export const DISABLED_MESSAGE =
  'Monero is switched off on this server (MONERO_MODE=disabled), so deposits and withdrawals are unavailable. ' +
  'Set MONERO_MODE=managed for a local regtest chain (needs "sudo apt-get install monero"), or MONERO_MODE=external ' +
  'with MONERO_DAEMON_URL and MONERO_WALLET_RPC_URL.';

/** wallet-rpc's "no connection to daemon" (not in @pupero/monero's WalletErrorCode). */
const NO_DAEMON_CONNECTION = -38;

/** Which dependency a failed RPC call was talking to: monerod is the `daemon`, wallet-rpc the `wallet`. */
export function chainDependency(error: MoneroRpcError): 'wallet' | 'daemon' {
  return error.service === 'monerod' ? 'daemon' : 'wallet';
}

/**
 * Chain trouble inside a request (unreachable, too slow, HTTP error) becomes 503
 * dependency_unavailable naming the wallet or the daemon, with Retry-After; anything else passes through.
 */
export function chainErrorToAppError(error: unknown): unknown {
  const rpc = rpcCause(error);
  if (rpc && (rpc.kind === 'unreachable' || rpc.kind === 'timeout' || rpc.kind === 'http')) {
    return dependencyUnavailable(chainDependency(rpc));
  }
  // A wallet-rpc just restarted answers before its wallet is reopened; one that lost its daemon says so.
  if (rpc?.kind === 'rpc' && rpc.service === 'wallet-rpc') {
    if (rpc.code === WalletErrorCode.NOT_OPEN) return dependencyUnavailable('wallet');
    if (rpc.code === NO_DAEMON_CONNECTION) return dependencyUnavailable('daemon');
  }
  if (error instanceof ChainUnavailableError) return dependencyUnavailable('wallet');
  return error;
}

/** The RPC failure behind an error, also when wrapped (ChainUnavailableError, the dev faucet's message). */
function rpcCause(error: unknown): MoneroRpcError | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof MoneroRpcError) return current;
    current = current.cause;
  }
  return undefined;
}
