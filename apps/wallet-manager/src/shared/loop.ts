import type { Logger } from 'pino';

/**
 * A background task run every `intervalMs` (measured from the end of one run to the start of the
 * next), never overlapping itself. kick() runs it again as soon as possible (e.g. after a block
 * was mined); stop() waits for a run in progress. Errors are logged and the loop goes on.
 */
export class Loop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private again = false;
  private running = false;
  private failures = 0;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Runs the task soon (now if idle, right after the current run otherwise). */
  kick(): void {
    if (!this.running) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runOnce(), delay);
    this.timer.unref?.();
  }

  private async runOnce(): Promise<void> {
    if (!this.running || this.current) return;
    this.again = false;
    this.current = (async () => {
      try {
        await this.task();
        if (this.failures > 0) this.logger.info({ loop: this.name, after_failures: this.failures }, `${this.name} recovered`);
        this.failures = 0;
      } catch (error) {
        this.failures++;
        // Log the first failure and then every 10th, so an outage does not flood the log.
        if (this.failures === 1 || this.failures % 10 === 0) {
          this.logger.warn({ loop: this.name, err: error, failures: this.failures }, `${this.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    await this.current;
    this.current = undefined;
    if (this.running) this.schedule(this.again ? 0 : this.intervalMs);
  }
}
