/**
 * Ledger money-move throughput. Prints one JSON object per line on stdout: one per measured phase
 *   {"bench":"ledger","level":"store","db":"pglite","op":"transfer","concurrency":8,"ops":..,"ops_per_s":..,"p50_ms":..,"p95_ms":..}
 * a `verify_ok` line after each database's run (the ledger's invariants, checked by verifyLedger /
 * GET /admin/ledger/verify), and a final summary with ratios measured in this run.
 *
 *   node --import tsx bench/ledger/run.ts                        # PGlite: store level + HTTP
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/ledger/run.ts
 *   BENCH_SECONDS=2 BENCH_CONCURRENCY=1,8 BENCH_LEVELS=store node --import tsx bench/ledger/run.ts
 *
 * The process exits 1 when any run broke the ledger's invariants or any operation failed.
 */
import { round } from './measure.js';
import { benchStore, type BenchSettings, type StoreRun } from './store-bench.js';
import { benchHttp, type HttpRun } from './http-bench.js';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const settings: BenchSettings = {
  concurrencies: list(process.env.BENCH_CONCURRENCY ?? '1,8,32').map(Number),
  maxOps: Number(process.env.BENCH_MAX_OPS ?? 5000),
  seconds: Number(process.env.BENCH_SECONDS ?? 3),
  users: Number(process.env.BENCH_USERS ?? 64),
  feePercent: process.env.BENCH_FEE_PERCENT ?? '0.5',
};
const levels = list(process.env.BENCH_LEVELS ?? 'store,http');
const databases: Array<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
// HTTP end to end on one database: PostgreSQL when available (what production runs), else PGlite.
const httpDatabases = list(process.env.BENCH_HTTP_DB ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as Array<'pglite' | 'postgres'>;

const emit = (line: object) => console.log(JSON.stringify(line));
const started = performance.now();
const storeRuns: StoreRun[] = [];
const httpRuns: HttpRun[] = [];
if (levels.includes('store')) for (const db of databases) storeRuns.push(await benchStore(db, settings, emit));
if (levels.includes('http')) for (const db of httpDatabases) httpRuns.push(await benchHttp(db, settings, emit));

type Run = { db: string; phases: Array<{ op: string; concurrency: number; result: { ops: number; seconds: number } }> };
const rate = (run: Run | undefined, op: string, concurrency: number) => {
  const phase = run?.phases.find((p) => p.op === op && p.concurrency === concurrency);
  return phase && phase.result.ops > 0 ? phase.result.ops / phase.result.seconds : undefined;
};
const ratios: Record<string, number> = {};
const put = (name: string, a: number | undefined, b: number | undefined) => {
  if (a !== undefined && b !== undefined) ratios[name] = round(a / b, 2);
};
const [lowest, ...higher] = [...settings.concurrencies].sort((a, b) => a - b);
if (lowest === undefined) throw new Error('no concurrency levels to compare');
for (const [level, runs] of [
  ['store', storeRuns],
  ['http', httpRuns],
] as const) {
  for (const run of runs) {
    for (const op of ['deposit', 'transfer']) {
      for (const c of higher) put(`${level}.${run.db}.${op}.c${c}/c${lowest}`, rate(run, op, c), rate(run, op, lowest));
    }
  }
}
const storeOf = (db: string) => storeRuns.find((r) => r.db === db);
for (const c of settings.concurrencies) {
  for (const op of ['deposit', 'transfer'])
    put(`store.${op}.c${c}.postgres/pglite`, rate(storeOf('postgres'), op, c), rate(storeOf('pglite'), op, c));
}
for (const run of httpRuns) {
  for (const c of settings.concurrencies) {
    for (const op of ['deposit', 'transfer']) put(`${op}.c${c}.${run.db}.http/store`, rate(run, op, c), rate(storeOf(run.db), op, c));
  }
}

const verifyOk = storeRuns.every((r) => r.verify.ok) && httpRuns.every((r) => r.verifyOk);
const failures = [...storeRuns, ...httpRuns]
  .flatMap((r) => r.phases)
  .reduce((n, p) => n + Object.values(p.result.errors).reduce((a, b) => a + b, 0), 0);
emit({
  bench: 'ledger',
  summary: 'ops/s ratios measured in this run (cA/cB: concurrency A over B; postgres/pglite; http/store)',
  verify_ok: verifyOk,
  failed_ops: failures,
  ratios,
  seconds: round((performance.now() - started) / 1000, 1),
});
if (!verifyOk || failures > 0) process.exitCode = 1;
