import { performance } from 'node:perf_hooks';

/**
 * Runs `op` with `concurrency` workers until `maxOps` operations were started or `seconds` have
 * passed, whichever comes first (so a slow machine shortens the phase instead of the run growing).
 * An operation reports the time of its steps through `step`; a failed operation is counted under
 * its error code and not as throughput.
 */
export type Step = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export interface PhaseResult {
  ops: number;
  seconds: number;
  /** Whole-operation latencies (ms) of the operations that succeeded. */
  latencies: number[];
  /** Per-step latencies (ms), of every step that finished. */
  steps: Record<string, number[]>;
  errors: Record<string, number>;
}

export async function runPhase(
  options: { concurrency: number; maxOps: number; seconds: number },
  op: (index: number, step: Step) => Promise<void>,
): Promise<PhaseResult> {
  const result: PhaseResult = { ops: 0, seconds: 0, latencies: [], steps: {}, errors: {} };
  const step: Step = async (name, work) => {
    const start = performance.now();
    const value = await work();
    (result.steps[name] ??= []).push(performance.now() - start);
    return value;
  };
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < options.maxOps && performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      try {
        await op(index, step);
        result.latencies.push(performance.now() - t0);
        result.ops++;
      } catch (error) {
        const code = errorCode(error);
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.slice(0, 80) : String(error);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

export const round = (value: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** The fields every result line carries: throughput and latency of one phase. */
export function summarise(result: PhaseResult) {
  const steps = Object.fromEntries(
    Object.entries(result.steps).map(([name, times]) => [
      name,
      { p50_ms: round(percentile(times, 0.5)), p95_ms: round(percentile(times, 0.95)) },
    ]),
  );
  return {
    ops: result.ops,
    seconds: round(result.seconds, 2),
    ops_per_s: round(result.ops / result.seconds, 1),
    p50_ms: round(percentile(result.latencies, 0.5)),
    p95_ms: round(percentile(result.latencies, 0.95)),
    errors: result.errors,
    ...(Object.keys(steps).length > 1 ? { steps } : {}),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so runs pick the same pairs and amounts. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
