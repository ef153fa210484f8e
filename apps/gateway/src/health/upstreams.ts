import type { ServiceUrls } from '@pupero/config';
import type { ReadinessCheck } from '@pupero/http';
import { UPSTREAM_LABELS, type UpstreamName } from '../routing/routes.js';

/** One readiness check per service: its own /readyz must answer 200. */
export function upstreamReadiness(urls: ServiceUrls): Record<string, ReadinessCheck> {
  return Object.fromEntries(
    (Object.keys(UPSTREAM_LABELS) as UpstreamName[]).map((name) => [
      UPSTREAM_LABELS[name],
      async () => {
        let response: Response;
        try {
          response = await fetch(`${urls[name]}/readyz`, { signal: AbortSignal.timeout(2500) });
        } catch {
          throw new Error('not reachable');
        }
        if (!response.ok) {
          const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, string> };
          const failing = Object.entries(body.checks ?? {}).filter(([, v]) => v !== 'ok').map(([k]) => k);
          throw new Error(`not ready${failing.length ? ` (${failing.join(', ')})` : ''}`);
        }
      },
    ]),
  );
}
