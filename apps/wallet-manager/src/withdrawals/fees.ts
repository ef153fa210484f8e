import type { HotWallet } from '../chain/hot-wallet.js';
import { quoteFee, TYPICAL_TX_BYTES } from './domain.js';

/**
 * The daemon's per-byte fee, asked at most once a minute (it changes slowly, and the fee quote is
 * on every withdrawal form), and what follows from it: a withdrawal's fee and the worker's reserve.
 */
export class FeeRates {
  private cache: { perByte: bigint; at: number } | undefined;

  constructor(
    private readonly setting: 'auto' | bigint,
    private readonly maxAgeMs = 60_000,
  ) {}

  async perByte(wallet: () => HotWallet): Promise<bigint> {
    if (!this.cache || Date.now() - this.cache.at > this.maxAgeMs) this.cache = { perByte: await wallet().feePerByte(), at: Date.now() };
    return this.cache.perByte;
  }

  /** What a user pays per withdrawal (WITHDRAWAL_FEE: flat, or `auto` from the daemon's rate). */
  async withdrawalFee(wallet: () => HotWallet): Promise<bigint> {
    return quoteFee(this.setting, this.setting === 'auto' ? await this.perByte(wallet) : 0n);
  }

  /** The network fee of a typical transaction: kept free when the worker chooses a batch. */
  async reserve(wallet: () => HotWallet): Promise<bigint> {
    return (await this.perByte(wallet)) * TYPICAL_TX_BYTES;
  }

  /** A restarted daemon may charge differently: ask again next time. */
  forget(): void {
    this.cache = undefined;
  }
}
