import { AppError } from '@pupero/http';
import { MoneroRpcError } from '@pupero/monero';
import { ChainUnavailableError } from '../chain/hot-wallet.js';

export const walletUnavailable = (message: string) => new AppError(503, 'wallet_unavailable', message);

export const DISABLED_MESSAGE =
  'Monero is switched off on this server (MONERO_MODE=disabled), so deposits and withdrawals are unavailable. ' +
  'Set MONERO_MODE=managed for a local regtest chain (needs "sudo apt-get install monero"), or MONERO_MODE=external ' +
  'with MONERO_DAEMON_URL and MONERO_WALLET_RPC_URL.';

/** Chain trouble inside a request becomes 503 wallet_unavailable; anything else passes through. */
export function chainErrorToAppError(error: unknown): unknown {
  if (error instanceof ChainUnavailableError) {
    return walletUnavailable('The Monero wallet is not reachable right now; try again in a moment.');
  }
  if (error instanceof MoneroRpcError && (error.kind === 'unreachable' || error.kind === 'timeout')) {
    return walletUnavailable('The Monero wallet is not reachable right now; try again in a moment.');
  }
  return error;
}
