/**
 * A per-key budget of calls per minute (fixed windows), kept in memory: the dev chain helpers run
 * only in managed mode, where one wallet manager process owns the chain.
 */
export class PerMinuteLimit {
  private readonly windows = new Map<string, { startedAt: number; calls: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a call; 0 when it may go ahead, else the whole seconds until the key's budget refills. */
  take(key: string): number {
    const now = this.now();
    if (this.windows.size > 10_000) this.forgetExpired(now);
    const window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      this.windows.set(key, { startedAt: now, calls: 1 });
      return 0;
    }
    if (window.calls >= this.perMinute) return Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000));
    window.calls++;
    return 0;
  }

  private forgetExpired(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(key);
  }
}
