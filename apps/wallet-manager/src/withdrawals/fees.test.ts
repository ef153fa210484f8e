import { describe, expect, it } from 'vitest';
import { FakeHotWallet } from '../chain/fake-hot-wallet.js';
import { FeeRates } from './fees.js';

describe('FeeRates', () => {
  const counting = (wallet: FakeHotWallet) => {
    let asked = 0;
    return {
      from: () => {
        asked++;
        return wallet;
      },
      asked: () => asked,
    };
  };

  it('quotes auto fees from the daemon rate, rounded up to 0.0001 XMR, and asks the daemon once per period', async () => {
    const wallet = new FakeHotWallet();
    wallet.perByte = 1_234_567n;
    const rates = new FeeRates('auto');
    const w = counting(wallet);
    expect(await rates.withdrawalFee(w.from)).toBe(3_800_000_000n); // 1_234_567 × 3000 = 3_703_701_000, rounded up
    expect(await rates.reserve(w.from)).toBe(3_703_701_000n);
    expect(w.asked()).toBe(1);
    wallet.perByte = 2_000_000n;
    expect(await rates.reserve(w.from)).toBe(3_703_701_000n); // cached
    rates.forget();
    expect(await rates.reserve(w.from)).toBe(6_000_000_000n);
    expect(w.asked()).toBe(2);
  });

  it('asks again once the cached rate is older than its period', async () => {
    const wallet = new FakeHotWallet();
    const rates = new FeeRates('auto', 0);
    await rates.perByte(() => wallet);
    wallet.perByte = 5n;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await rates.perByte(() => wallet)).toBe(5n);
  });

  it('charges a flat fee without asking the wallet (which may be down)', async () => {
    const wallet = new FakeHotWallet();
    wallet.down = true;
    const w = counting(wallet);
    expect(await new FeeRates(42n).withdrawalFee(w.from)).toBe(42n);
    expect(w.asked()).toBe(0);
  });
});
