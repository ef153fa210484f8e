/**
 * Every benchmark under bench/, one after another, each in its own process. Passes their JSON
 * lines through to stdout, then prints one summary line per benchmark and a final one:
 *   {"bench":"all","name":"ledger","exit_code":0,"seconds":..,"lines":..,"verify_ok":true,"ok":true}
 *   {"bench":"all","summary":true,"ok":true,"seconds":..}
 *
 *   npm run bench                      # the full runs (minutes)
 *   BENCH_SHORT=1 npm run bench        # a smoke of each (seconds): it runs, and the ledger verifies
 *   BENCH_ONLY=ledger,gateway npm run bench
 *
 * A benchmark fails the run (exit 1) when its process fails, when it prints a line that is not
 * JSON, or when any `verify_ok` it prints is false. One that moves money must print a `verify_ok`:
 * the ledger's invariants are checked after every run, short or not.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Benchmark {
  name: string;
  /** Whether it moves money (so it must report the ledger's verification). */
  movesMoney: boolean;
  /** Settings for BENCH_SHORT=1: seconds each, enough to show it works. */
  short: Record<string, string>;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'offers-list', movesMoney: false, short: { BENCH_SIZES: '100,1000', BENCH_RUNS: '5' } },
  {
    name: 'ledger',
    movesMoney: true,
    short: { BENCH_SECONDS: '0.5', BENCH_CONCURRENCY: '1,8', BENCH_MAX_OPS: '200', BENCH_USERS: '8' },
  },
  {
    name: 'gateway',
    movesMoney: false,
    short: { BENCH_SECONDS: '0.3', BENCH_ROUNDS: '1', BENCH_CONCURRENCY: '1,16', BENCH_WARMUP_SECONDS: '0.1' },
  },
];

interface RunResult {
  name: string;
  exit_code: number | null;
  seconds: number;
  lines: number;
  /** false when a verify_ok was false or a money-moving benchmark printed none; null when it moves no money. */
  verify_ok: boolean | null;
  ok: boolean;
  problems: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const emit = (line: object) => console.log(JSON.stringify(line));

/** Reads one benchmark's stdout: passes each line on, counts them and collects its verify_ok values. */
export function judgeOutput(
  bench: Pick<Benchmark, 'name' | 'movesMoney'>,
  stdout: string,
  exitCode: number | null,
): Omit<RunResult, 'seconds'> {
  const problems: string[] = [];
  const verifies: boolean[] = [];
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  for (const line of lines) {
    try {
      const parsed = JSON.parse(line) as { verify_ok?: unknown };
      if (typeof parsed.verify_ok === 'boolean') verifies.push(parsed.verify_ok);
    } catch {
      problems.push(`not a JSON line: ${line.slice(0, 120)}`);
    }
  }
  if (exitCode !== 0) problems.push(`exited with ${exitCode}`);
  if (verifies.includes(false)) problems.push('the ledger did not verify');
  if (bench.movesMoney && verifies.length === 0) problems.push('no ledger verification reported');
  const verifyOk = verifies.length > 0 ? !verifies.includes(false) : bench.movesMoney ? false : null;
  return { name: bench.name, exit_code: exitCode, lines: lines.length, verify_ok: verifyOk, ok: problems.length === 0, problems };
}

function runOne(bench: Benchmark, short: boolean): Promise<RunResult> {
  const started = performance.now();
  const env = { ...process.env, ...(short ? bench.short : {}) };
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, bench.name, 'run.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    process.stdout.write(chunk);
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      resolve({ ...judgeOutput(bench, stdout, code), seconds });
    });
  });
}

async function main(): Promise<void> {
  const short = process.env.BENCH_SHORT === '1';
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  const unknown = (only ?? []).filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0)
    throw new Error(`no benchmark named ${unknown.join(', ')} (there are ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  const started = performance.now();
  const results: RunResult[] = [];
  for (const bench of selected) {
    const result = await runOne(bench, short);
    results.push(result);
    emit({ bench: 'all', ...result });
  }
  const ok = results.every((r) => r.ok);
  emit({ bench: 'all', summary: true, short, ok, seconds: Math.round((performance.now() - started) / 100) / 10 });
  if (!ok) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
