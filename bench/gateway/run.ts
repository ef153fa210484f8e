/**
 * Gateway overhead: requests/s and p50/p99 latency of cheap public GETs sent straight to the
 * Offers API and through the gateway, in the same run, at several concurrencies. Prints one JSON
 * object per line on stdout:
 *   {"bench":"gateway","endpoint":"/offers/{id}","target":"direct","concurrency":16,"rps":..,"p50_ms":..,"p99_ms":..}
 *   {"bench":"gateway","endpoint":"/offers/{id}","concurrency":16,"overhead":{"rps_ratio":..,"p50_ratio":..,"p99_ratio":..}}
 * and a final summary of every gateway/direct ratio.
 *
 *   node --import tsx bench/gateway/run.ts
 *   BENCH_CONCURRENCY=1,16 BENCH_SECONDS=1 BENCH_ROUNDS=1 BENCH_ENDPOINTS=offer node --import tsx bench/gateway/run.ts
 *
 * Direct and gateway take turns (A B, then B A, ...) within each concurrency, so a busy moment of
 * a shared machine hits both alike.
 */
import { fork } from 'node:child_process';
import { insertOffers, randomOffers } from '@pupero/offers/testing/seed-offers';
import { startTestStack } from '@pupero/stack/testing';
import type { LoadAnswer, LoadJob } from './load.js';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const concurrencies = list(process.env.BENCH_CONCURRENCY ?? '1,16,64').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 0.3);
const endpointNames = list(process.env.BENCH_ENDPOINTS ?? 'offer,price');

const emit = (line: object) => console.log(JSON.stringify(line));
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

const started = performance.now();
// Transactions runs too: GET /offers/{id} shows the owner's reputation, which the Offers API asks
// the Transactions API for (cached, here for the whole run, so the measured path is offers only).
const stack = await startTestStack({
  services: ['offers', 'transactions'],
  env: { RATE_LIMIT_PER_MINUTE: '1000000000', REPUTATION_CACHE_SECONDS: '3600' },
});
const child = fork(new URL('./load.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });

function load(job: LoadJob): Promise<LoadAnswer> {
  return new Promise((resolve, reject) => {
    child.once('message', (message: { answer?: LoadAnswer; error?: string }) =>
      message.answer ? resolve(message.answer) : reject(new Error(message.error ?? 'load generator failed')),
    );
    child.send(job);
  });
}

try {
  const [offerId] = await insertOffers(stack.db, randomOffers(1, { seed: 1, owners: 1 }));
  const endpoints = [
    { name: 'offer', path: `/offers/${offerId}`, label: '/offers/{id}' },
    { name: 'price', path: '/price', label: '/price' },
  ].filter((e) => endpointNames.includes(e.name));
  const targets = { direct: stack.common.urls.offers, gateway: stack.url };

  // Both routes must answer the same document, or the comparison means nothing.
  for (const endpoint of endpoints) {
    const [direct, viaGateway] = await Promise.all(
      Object.values(targets).map((base) => fetch(`${base}${endpoint.path}`).then((r) => r.json())),
    );
    if (JSON.stringify(direct) !== JSON.stringify(viaGateway))
      throw new Error(`${endpoint.path}: the gateway answers differently from the service`);
  }

  const ratios: Record<string, { rps_ratio: number; p50_ratio: number; p99_ratio: number; p50_added_ms: number }> = {};
  let failed = 0;
  for (const endpoint of endpoints) {
    for (const concurrency of concurrencies) {
      const samples = { direct: [] as LoadAnswer[], gateway: [] as LoadAnswer[] };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
        for (const target of order) {
          samples[target].push(await load({ url: `${targets[target]}${endpoint.path}`, concurrency, warmupSeconds, seconds }));
        }
      }
      const stats = Object.fromEntries(
        (['direct', 'gateway'] as const).map((target) => {
          const answers = samples[target];
          const latencies = answers.flatMap((a) => a.latencies);
          const requests = answers.reduce((n, a) => n + a.requests, 0);
          const secs = answers.reduce((n, a) => n + a.seconds, 0);
          const errors: Record<string, number> = {};
          for (const a of answers) for (const [k, v] of Object.entries(a.errors)) errors[k] = (errors[k] ?? 0) + v;
          failed += Object.values(errors).reduce((n, v) => n + v, 0);
          const line = {
            bench: 'gateway',
            endpoint: endpoint.label,
            target,
            concurrency,
            requests,
            seconds: round(secs, 2),
            rps: round(requests / secs, 1),
            p50_ms: round(percentile(latencies, 0.5)),
            p99_ms: round(percentile(latencies, 0.99)),
            errors,
          };
          emit(line);
          return [target, line];
        }),
      );
      const { direct, gateway } = stats;
      if (!direct || !gateway) throw new Error('both targets must have been measured');
      const overhead = {
        rps_ratio: round(gateway.rps / direct.rps, 2),
        p50_ratio: round(gateway.p50_ms / direct.p50_ms, 2),
        p99_ratio: round(gateway.p99_ms / direct.p99_ms, 2),
        p50_added_ms: round(gateway.p50_ms - direct.p50_ms),
      };
      ratios[`${endpoint.name}.c${concurrency}`] = overhead;
      emit({ bench: 'gateway', endpoint: endpoint.label, concurrency, overhead });
    }
  }
  emit({
    bench: 'gateway',
    summary: 'gateway / direct, same run (rps_ratio < 1: the gateway serves fewer requests/s; p50/p99 ratio > 1: slower)',
    ratios,
    failed_requests: failed,
    seconds: round((performance.now() - started) / 1000, 1),
  });
  if (failed > 0) process.exitCode = 1;
} finally {
  child.disconnect();
  await stack.close();
}
