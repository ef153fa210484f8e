import type { ReadinessCheck } from '@pupero/http';
import { UPSTREAM_LABELS, type UpstreamName } from '../routing/routes.js';
import type { UpstreamPool } from '../routing/upstream-pool.js';

/** One readiness check per service: the /readyz of one of its replicas must answer 200. */
export function upstreamReadiness(pools: Record<UpstreamName, UpstreamPool>): Record<string, ReadinessCheck> {
  return Object.fromEntries(
    (Object.keys(UPSTREAM_LABELS) as UpstreamName[]).map((name) => [
      UPSTREAM_LABELS[name],
      async () => {
        // Ready when one replica is: try the healthy ones first, then the rest.
        const pool = pools[name];
        const order = [...pool.healthyUrls(), ...pool.urls.filter((u) => !pool.isHealthy(u))];
        let problem = 'not reachable';
        for (const url of order) {
          let response: Response;
          try {
            response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2500) });
          } catch {
            continue;
          }
          if (response.ok) return;
          const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, string> };
          const failing = Object.entries(body.checks ?? {})
            .filter(([, v]) => v !== 'ok')
            .map(([k]) => k);
          problem = `not ready${failing.length ? ` (${failing.join(', ')})` : ''}`;
        }
        throw new Error(problem);
      },
    ]),
  );
}
