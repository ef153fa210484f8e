import { afterEach, describe, expect, it } from 'vitest';
import { assertMoneroInstalled } from './runtime.js';

describe('managed mode start-up checks', () => {
  const saved = process.env.MONEROD_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.MONEROD_PATH;
    else process.env.MONEROD_PATH = saved;
  });

  it('says exactly how to install monero, and what still works without it', () => {
    process.env.MONEROD_PATH = '/nonexistent/monerod';
    expect(() => assertMoneroInstalled()).toThrow(
      /MONERO_MODE=managed needs the monero binaries.*apt-get install monero.*MONERO_MODE=disabled/s,
    );
  });
});
