import { describe, expect, it } from 'vitest';
import { syncStatus } from './domain.js';

describe('syncStatus', () => {
  it('reports progress, peers and why money waits while the node syncs', () => {
    const s = syncStatus('testnet', {
      height: 500_000,
      target_height: 2_000_000,
      synchronized: false,
      incoming_connections_count: 1,
      outgoing_connections_count: 7,
    });
    expect(s).toMatchObject({ synchronized: false, height: 500_000, target_height: 2_000_000, percent: 25, peers: 8 });
    expect(s.message).toBe(
      'The Monero testnet node is syncing: block 500000 of 2000000 (25%), 8 peers. Deposits are credited and withdrawals sent once it has caught up.',
    );
  });

  it('never shows 100% before the node says it is synchronized', () => {
    expect(syncStatus('testnet', { height: 1999, target_height: 2000, synchronized: false, outgoing_connections_count: 1 }).percent).toBe(
      99,
    );
  });

  it('says the node has no peers yet when it knows no target', () => {
    const s = syncStatus('stagenet', { height: 1, target_height: 0, synchronized: false });
    expect(s).toMatchObject({ synchronized: false, percent: 0, peers: 0, target_height: 1 });
    expect(s.message).toMatch(/^The Monero stagenet node is looking for peers to sync from \(at block 1\)/);
  });

  it('is synchronized with no message once the node is (target_height 0 after sync)', () => {
    expect(syncStatus('testnet', { height: 2_000_000, target_height: 0, synchronized: true, outgoing_connections_count: 8 })).toEqual({
      network: 'testnet',
      synchronized: true,
      height: 2_000_000,
      target_height: 2_000_000,
      percent: 100,
      peers: 8,
      message: null,
    });
  });

  it('a private regtest chain is always in sync', () => {
    expect(syncStatus('regtest', { height: 90, target_height: 0, synchronized: false })).toMatchObject({
      synchronized: true,
      percent: 100,
      message: null,
    });
  });
});
