/**
 * The load generator of the gateway benchmark, run as a child process (its own event loop, so the
 * client's work does not queue behind the services it measures). It answers each job from the
 * parent over IPC:
 *   job:    {url, concurrency, warmupSeconds, seconds}
 *   answer: {requests, seconds, latencies: number[] (ms), errors: {status or code: count}}
 * Requests are plain keep-alive HTTP/1.1 GETs (node:http with one pooled socket per worker); the
 * connections are opened during the warm-up, so the measured window holds no handshakes.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadJob {
  url: string;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LoadAnswer {
  requests: number;
  seconds: number;
  latencies: number[];
  errors: Record<string, number>;
}

function get(url: URL, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function run(job: LoadJob): Promise<LoadAnswer> {
  const url = new URL(job.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`only loopback targets are allowed, not ${url.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const answer: LoadAnswer = { requests: 0, seconds: 0, latencies: [], errors: {} };
  const warmEnd = performance.now() + job.warmupSeconds * 1000;
  let measureStart = 0;
  let measureEnd = 0;
  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= warmEnd && measureStart === 0) {
        measureStart = t0;
        measureEnd = t0 + job.seconds * 1000;
      }
      if (measureEnd !== 0 && t0 >= measureEnd) return;
      let outcome: string;
      try {
        const status = await get(url, agent);
        outcome = status === 200 ? 'ok' : `status_${status}`;
      } catch (error) {
        outcome = (error as { code?: string }).code ?? 'error';
      }
      // Only requests that started inside the measured window count.
      if (measureStart !== 0 && t0 >= measureStart) {
        if (outcome === 'ok') {
          answer.latencies.push(performance.now() - t0);
          answer.requests++;
        } else answer.errors[outcome] = (answer.errors[outcome] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  answer.seconds = (performance.now() - measureStart) / 1000;
  agent.destroy();
  return answer;
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (answer) => process.send!({ answer }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
