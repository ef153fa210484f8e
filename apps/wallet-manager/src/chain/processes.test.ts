import { describe, expect, it } from 'vitest';
import { processProblem } from './processes.js';

const at = new Date('2026-01-01T00:00:00Z');

describe('processProblem', () => {
  it('is null while every process is up', () => {
    expect(processProblem({})).toBeNull();
    expect(processProblem({ monerod: { up: true, pid: 1, restarts: 2, since: at, gaveUp: false } })).toBeNull();
  });

  it('names each process that is down, how it exited and what happens next', () => {
    const problem = processProblem({
      monerod: { up: true, pid: 1, restarts: 0, since: at, gaveUp: false },
      'hot-wallet-rpc': {
        up: false,
        pid: undefined,
        restarts: 0,
        since: at,
        gaveUp: false,
        lastExit: { code: null, signal: 'SIGKILL', at },
      },
      'faucet-wallet-rpc': { up: false, pid: undefined, restarts: 3, since: at, gaveUp: true, lastExit: { code: 1, signal: null, at } },
    });
    expect(problem).toBe(
      "The hot wallet's monero-wallet-rpc is down (exited with SIGKILL at 2026-01-01T00:00:00.000Z); it is being restarted. " +
        "The dev faucet's monero-wallet-rpc is down (exited with code 1 at 2026-01-01T00:00:00.000Z); restarting it failed too often; see its log under DATA_DIR/monero/logs and restart Pupero.",
    );
  });
});

describe('processProblem(states, only)', () => {
  it('looks only at the named processes', () => {
    const states = { monerod: { up: false, pid: undefined, restarts: 0, since: at, gaveUp: false } };
    expect(processProblem(states, ['hot-wallet-rpc'])).toBeNull();
    expect(processProblem(states, ['monerod'])).toMatch(/^The Monero daemon \(monerod\) is down; it is being restarted\.$/);
  });
});
