import type { CrashPoint } from '../config.js';
import type { RetryPolicy, WorkerDeps } from '../withdrawals/worker.js';
import { WithdrawalWorker } from '../withdrawals/worker.js';
import { WithdrawalRequests } from '../withdrawals/requests.js';
import { silentLogger } from './fixtures.js';

/** What a unit test's worker throws at its crash point (instead of SIGKILLing the test process). */
export class TestCrash extends Error {}

type WorkerParts = Pick<WorkerDeps, 'wallet' | 'db' | 'holds' | 'ledger' | 'lease' | 'feeReserve'>;
type WorkerOverrides = Partial<Omit<WorkerDeps, 'retry'>> & { retry?: Partial<RetryPolicy> };

/**
 * The withdrawal worker of the unit and chain tests: 10 confirmations, batches of 15, no grace for
 * `requested` rows, 3 attempts retried at once, a crash throws TestCrash. A test overrides what it is about.
 */
export function testWithdrawalWorker(parts: WorkerParts & WorkerOverrides): WithdrawalWorker {
  const { retry, ...rest } = parts;
  return new WithdrawalWorker({
    logger: silentLogger,
    requiredConfirmations: 10,
    batchMax: 15,
    onCrash: (point) => {
      throw new TestCrash(point);
    },
    requestedGraceSeconds: 0,
    ...rest,
    retry: { maxAttempts: 3, baseMs: 0, maxMs: 0, stuckAfterMs: 60_000, ...retry },
  });
}

type RequestDeps = ConstructorParameters<typeof WithdrawalRequests>[0];

/** Withdrawal requests on regtest without 2FA (unless the test passes its own), nothing to notify, silent. */
export function testWithdrawalRequests(
  parts: Pick<RequestDeps, 'db' | 'holds' | 'wallet' | 'quoteFee'> & Partial<RequestDeps>,
): WithdrawalRequests {
  return new WithdrawalRequests({
    twoFactor: { isEnabled: async () => false, verify: async () => ({ enabled: false, valid: false }) },
    network: 'regtest',
    onQueued: () => undefined,
    logger: silentLogger,
    ...parts,
  });
}

/**
 * One worker per "process" of a test: worker() is the running one; worker(options) starts a new
 * process (one set to crash is gone after its crash), restart() a new one with no options.
 */
export class WorkerProcesses<O extends { crashAfter?: CrashPoint }> {
  private running: WithdrawalWorker | undefined;

  constructor(private readonly start: (o: Partial<O>) => WithdrawalWorker) {}

  readonly worker = (o: Partial<O> = {}): WithdrawalWorker =>
    Object.keys(o).length === 0
      ? (this.running ??= this.start({}))
      : o.crashAfter
        ? ((this.running = undefined), this.start(o))
        : (this.running = this.start(o));

  readonly restart = (): WithdrawalWorker => (this.running = this.start({}));

  /** Before each test: no process runs yet. */
  reset(): void {
    this.running = undefined;
  }
}
