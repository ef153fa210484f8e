/**
 * Keeps the managed chain's processes running: a monerod or wallet-rpc that exits without being
 * asked to is started again (same ports, same data) with exponential, capped backoff. Every step
 * is reported to listeners ("process restarted" is what the wallet manager waits for) and kept in
 * a small state table for readiness, status pages and metrics.
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from './regtest.js';

export interface SupervisedHandle {
  process: ChildProcess;
  pid: number;
  stop?(): Promise<void>;
}

export type ProcessEventType = 'exited' | 'restarted' | 'restart_failed' | 'gave_up';

export interface ProcessEvent {
  process: string;
  type: ProcessEventType;
  /** Consecutive restart attempt this event belongs to (0 for `exited`). */
  attempt: number;
  pid?: number;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  /** For `restarted`: how long the process was down. */
  downMs?: number;
  error?: string;
}

export interface ProcessState {
  up: boolean;
  pid: number | undefined;
  /** Successful restarts since the chain started. */
  restarts: number;
  /** When it went down (while down), or came (back) up. */
  since: Date;
  lastExit?: { code: number | null; signal: NodeJS.Signals | null; at: Date };
  /** True once the supervisor stopped trying (see SupervisorOptions.maxAttempts). */
  gaveUp: boolean;
}

export interface SupervisorOptions {
  /** First restart delay (ms), doubled per consecutive failure. Default 250. */
  baseDelayMs?: number;
  /** Longest delay between attempts (ms). Default 15 000. */
  maxDelayMs?: number;
  /** Consecutive failed starts (or crashes within `stableAfterMs` of a start) before giving up. Default 20. */
  maxAttempts?: number;
  /** A process that stayed up this long is healthy again: the backoff starts over. Default 30 000. */
  stableAfterMs?: number;
  log?: Logger;
}

interface Entry {
  name: string;
  restart: () => Promise<SupervisedHandle>;
  state: ProcessState;
  consecutive: number;
  startedAt: number;
}

/** The delay before restart attempt `attempt` (1-based): base · 2^(attempt-1), at most max. */
export function restartDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export class ProcessSupervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(e: ProcessEvent) => void>();
  private stopped = false;
  private readonly o: Required<Omit<SupervisorOptions, 'log'>> & { log?: Logger };

  constructor(options: SupervisorOptions = {}) {
    this.o = {
      baseDelayMs: options.baseDelayMs ?? 250,
      maxDelayMs: options.maxDelayMs ?? 15_000,
      maxAttempts: options.maxAttempts ?? 20,
      stableAfterMs: options.stableAfterMs ?? 30_000,
      log: options.log,
    };
  }

  /** Watches `handle`; when it exits unasked, `restart` is called (with backoff) until it succeeds. */
  watch(name: string, handle: SupervisedHandle, restart: () => Promise<SupervisedHandle>): void {
    const entry: Entry = {
      name,
      restart,
      state: { up: true, pid: handle.pid, restarts: 0, since: new Date(), gaveUp: false },
      consecutive: 0,
      startedAt: Date.now(),
    };
    this.entries.set(name, entry);
    this.follow(entry, handle);
  }

  /** Subscribes to process events; returns the unsubscribe function. */
  on(listener: (e: ProcessEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  states(): Record<string, ProcessState> {
    return Object.fromEntries([...this.entries].map(([name, e]) => [name, { ...e.state }]));
  }

  /** No more restarts (the chain is being stopped on purpose). */
  stop(): void {
    this.stopped = true;
  }

  private follow(entry: Entry, handle: SupervisedHandle): void {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.stopped) return;
      entry.state = { ...entry.state, up: false, pid: undefined, since: new Date(), lastExit: { code, signal, at: new Date() } };
      // A process that crashes soon after a restart keeps the backoff growing.
      if (Date.now() - entry.startedAt >= this.o.stableAfterMs) entry.consecutive = 0;
      this.emit({ process: entry.name, type: 'exited', attempt: 0, pid: handle.pid, code, signal });
      void this.restartLoop(entry);
    };
    if (handle.process.exitCode !== null || handle.process.signalCode !== null) {
      onExit(handle.process.exitCode, handle.process.signalCode);
      return;
    }
    handle.process.once('exit', onExit);
  }

  private async restartLoop(entry: Entry): Promise<void> {
    const downAt = Date.now();
    while (!this.stopped) {
      entry.consecutive++;
      if (entry.consecutive > this.o.maxAttempts) {
        entry.state = { ...entry.state, gaveUp: true };
        this.emit({ process: entry.name, type: 'gave_up', attempt: entry.consecutive - 1 });
        return;
      }
      await new Promise((r) => setTimeout(r, restartDelayMs(entry.consecutive, this.o.baseDelayMs, this.o.maxDelayMs)));
      if (this.stopped) return;
      try {
        const handle = await entry.restart();
        if (this.stopped) {
          await handle.stop?.(); // the chain was stopped while this one started
          return;
        }
        entry.startedAt = Date.now();
        entry.state = { ...entry.state, up: true, pid: handle.pid, restarts: entry.state.restarts + 1, since: new Date() };
        this.emit({ process: entry.name, type: 'restarted', attempt: entry.consecutive, pid: handle.pid, downMs: Date.now() - downAt });
        this.follow(entry, handle);
        return;
      } catch (error) {
        this.emit({
          process: entry.name,
          type: 'restart_failed',
          attempt: entry.consecutive,
          error: (error as Error).message.split('\n')[0],
        });
      }
    }
  }

  private emit(e: ProcessEvent): void {
    const detail =
      e.type === 'exited'
        ? ` (code ${e.code}, signal ${e.signal})`
        : e.error
          ? `: ${e.error}`
          : e.downMs !== undefined
            ? ` after ${e.downMs} ms down`
            : '';
    this.o.log?.(`${e.process} ${e.type.replace('_', ' ')}${e.attempt ? ` (attempt ${e.attempt})` : ''}${detail}`);
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch {
        /* a listener's bug must not stop the supervisor */
      }
    }
  }
}
