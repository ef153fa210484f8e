import { describe, expect, it } from 'vitest';
import { progressLabel, type SyncStatus } from './progress';

const base: SyncStatus = {
  network: 'testnet',
  synchronized: false,
  height: 500_000,
  target_height: 2_000_000,
  percent: 25,
  peers: 8,
  message: 'syncing',
};

describe('progressLabel', () => {
  it('shows height of target, percent and peers while syncing', () => {
    expect(progressLabel(base)).toBe('block 500,000 of 2,000,000 · 25% · 8 peers');
  });
  it('shows only the height (and one peer, singular) while the target is unknown', () => {
    expect(progressLabel({ ...base, height: 1, target_height: 1, percent: 0, peers: 1 })).toBe('block 1 · 1 peer');
  });
});
