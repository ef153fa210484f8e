import { describe, expect, it } from 'vitest';
import { AppError } from '@pupero/http';
import { MoneroRpcError } from '@pupero/monero';
import { ChainUnavailableError } from '../chain/hot-wallet.js';
import { chainErrorToAppError } from './errors.js';

const rpc = (service: 'monerod' | 'wallet-rpc', kind: MoneroRpcError['kind']) =>
  new MoneroRpcError({ kind, service, url: 'http://127.0.0.1:1', method: 'm' });
const dependencyOf = (e: unknown) => ((e as AppError).toBody().error.details as { dependency: string }).dependency;

describe('chainErrorToAppError', () => {
  it('names the daemon for monerod and the wallet for wallet-rpc, as 503 dependency_unavailable', () => {
    for (const kind of ['unreachable', 'timeout', 'http'] as const) {
      expect(dependencyOf(chainErrorToAppError(rpc('monerod', kind)))).toBe('daemon');
      expect(dependencyOf(chainErrorToAppError(rpc('wallet-rpc', kind)))).toBe('wallet');
    }
    expect((chainErrorToAppError(rpc('monerod', 'timeout')) as AppError).statusCode).toBe(503);
  });

  it('looks through wrappers (ChainUnavailableError, an Error with a cause)', () => {
    const wrapped = new ChainUnavailableError('x', { cause: rpc('monerod', 'unreachable') });
    expect(dependencyOf(chainErrorToAppError(wrapped))).toBe('daemon');
    expect(dependencyOf(chainErrorToAppError(new Error('faucet transfer failed', { cause: rpc('wallet-rpc', 'unreachable') })))).toBe(
      'wallet',
    );
    expect(dependencyOf(chainErrorToAppError(new ChainUnavailableError('no cause')))).toBe('wallet');
  });

  it('a wallet-rpc without its wallet open (just restarted) is the wallet; one without its daemon is the daemon', () => {
    const answer = (code: number) =>
      new MoneroRpcError({ kind: 'rpc', service: 'wallet-rpc', url: 'http://127.0.0.1:1', method: 'create_address', code });
    expect(dependencyOf(chainErrorToAppError(answer(-13)))).toBe('wallet');
    expect(dependencyOf(chainErrorToAppError(answer(-38)))).toBe('daemon');
  });

  it('leaves an RPC error that is an answer (e.g. not enough money) and other errors alone', () => {
    const answer = rpc('wallet-rpc', 'rpc');
    expect(chainErrorToAppError(answer)).toBe(answer);
    const bug = new TypeError('bug');
    expect(chainErrorToAppError(bug)).toBe(bug);
  });
});
