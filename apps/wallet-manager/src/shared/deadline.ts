import { dependencyUnavailable, type Dependency } from '@pupero/http';

/**
 * The time one request may spend waiting for wallet-rpc and monerod (WALLET_RPC_REQUEST_TIMEOUT_MS).
 * Each chain call is raced against what is left; a call that outlives it answers 503
 * dependency_unavailable naming the dependency, well before the gateway gives up on the request.
 * `commit()` is the point of no return (just before a row is written): past the budget the request
 * stops there, so a client that was (or will be) told 503 never gets a withdrawal queued anyway.
 */
export class RequestDeadline {
  private readonly end: number;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.end = now() + budgetMs;
  }

  /** No limit (background work and tests that do not exercise the deadline). */
  static unlimited(): RequestDeadline {
    return new RequestDeadline(Number.POSITIVE_INFINITY);
  }

  remainingMs(): number {
    return this.end - this.now();
  }

  /** Awaits one chain call within the remaining budget. */
  async step<T>(dependency: Extract<Dependency, 'wallet' | 'daemon'>, work: Promise<T>): Promise<T> {
    const remaining = this.remainingMs();
    // The call may still finish (or fail) after we answered: nobody waits for it any more.
    work.catch(() => undefined);
    if (remaining <= 0) throw dependencyUnavailable(dependency);
    if (!Number.isFinite(remaining)) return work;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(dependencyUnavailable(dependency)), remaining);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Throws 503 when the budget is spent; call it right before the write that makes the request take effect. */
  commit(dependency: Extract<Dependency, 'wallet' | 'daemon'>): void {
    if (this.remainingMs() <= 0) throw dependencyUnavailable(dependency);
  }
}
